import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import {
  UINT256_MAX,
  applyEvent,
  initialReputationState,
  opinion,
  splitReward,
  type ReputationEvent,
  type ReputationParameters,
  type ReputationVectorFile,
  type RewardSplitVectorFile,
} from '../src/index.js'
import { createReputationVectors, createRewardSplitVectors } from '../src/test-vectors.js'

// Resolved through the package's `exports`, exactly as the contract's tests load them.
const require = createRequire(import.meta.url)
const load = (name: string): unknown =>
  JSON.parse(readFileSync(require.resolve(`@fedchain/reputation/vectors/${name}`), 'utf8'))

const reputationFile = load('reputation.json') as ReputationVectorFile
const splitFile = load('reward-split.json') as RewardSplitVectorFile

describe('shared vectors', () => {
  it('reputation.json equals a fresh computation (run `pnpm run vectors` after changing the maths)', () => {
    expect(reputationFile).toEqual(createReputationVectors())
  })

  it('reward-split.json equals a fresh computation (run `pnpm run vectors` after changing the maths)', () => {
    expect(splitFile).toEqual(createRewardSplitVectors())
  })

  it('covers the required edge cases', () => {
    const names = reputationFile.sequences.map((s) => s.name).join('\n')
    expect(names).toMatch(/zero evidence/)
    expect(names).toMatch(/n = 1000/)
    expect(names).toMatch(/all event weights zero/)
    const cases = splitFile.cases
    expect(cases.some((c) => c.input.participants.length === 1)).toBe(true)
    expect(cases.some((c) => c.input.committeeFeeBps === '0')).toBe(true)
    expect(cases.some((c) => c.input.committeeFeeBps === '10000')).toBe(true)
    expect(cases.some((c) => BigInt(c.input.pool) >= 1n << 200n)).toBe(true)
    expect(cases.some((c) => c.expected.totalWeight === '0' && c.input.participants.length > 1)).toBe(true)
    expect(cases.some((c) => BigInt(c.input.pool) === UINT256_MAX)).toBe(true)
  })

  it('replays every reputation sequence from its decimal strings', () => {
    for (const seq of reputationFile.sequences) {
      const params = Object.fromEntries(Object.entries(seq.params).map(([k, v]) => [k, BigInt(v)])) as unknown as ReputationParameters
      let state = initialReputationState()
      for (const step of seq.steps) state = applyEvent(state, step.event as ReputationEvent, BigInt(step.round), params)
      const o = opinion(state, params)
      const got = { ...state, ...o }
      const want = Object.fromEntries(Object.entries(seq.expected).map(([k, v]) => [k, BigInt(v)]))
      expect(got, seq.name).toEqual(want)
    }
  })

  it('replays every split and checks conservation', () => {
    for (const c of splitFile.cases) {
      const out = splitReward({
        pool: BigInt(c.input.pool),
        committeeFeeBps: Number(c.input.committeeFeeBps),
        committeeMembers: Number(c.input.committeeMembers),
        participants: c.input.participants.map((p) => ({ id: p.id, score: BigInt(p.score), qualityBps: Number(p.qualityBps) })),
      })
      expect(out.shares.map((s) => s.share.toString()), c.name).toEqual(c.expected.shares.map((s) => s.share))
      const sum = c.expected.shares.reduce((a, s) => a + BigInt(s.share), 0n)
      expect(sum + BigInt(c.expected.committeePaid) + BigInt(c.expected.refundable), c.name).toBe(BigInt(c.input.pool))
    }
  })
})
