import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Contract } from 'ethers'
import type { ReputationVectorFile, RewardSplitVectorFile } from '@fedchain/reputation'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmbeddedChain, type EmbeddedChain } from '../src/embedded-index.js'
import { reputationHarnessAbi, reputationHarnessBytecode } from './generated/test-artifacts.js'
import { deployTestContract } from './fixtures/consortium.js'

// The same files @fedchain/reputation's own tests check, resolved through its package exports.
const require = createRequire(import.meta.url)
const load = <T>(name: string): T =>
  JSON.parse(readFileSync(require.resolve(`@fedchain/reputation/vectors/${name}`), 'utf8')) as T
const reputationVectors = load<ReputationVectorFile>('reputation.json')
const splitVectors = load<RewardSplitVectorFile>('reward-split.json')

describe('shared fixed-point vectors against the Solidity library the contract runs', () => {
  let chain: EmbeddedChain
  let harness: Contract
  beforeAll(async () => {
    chain = await startEmbeddedChain({ accounts: 1 })
    harness = await deployTestContract(chain.signers[0]!, reputationHarnessAbi, reputationHarnessBytecode)
  })
  afterAll(async () => {
    await chain.stop()
  })

  it('loads both vector files (format version 1)', () => {
    expect(reputationVectors.version).toBe(1)
    expect(splitVectors.version).toBe(1)
    expect(reputationVectors.sequences.length).toBeGreaterThan(10)
    expect(splitVectors.cases.length).toBeGreaterThan(10)
  })

  it('reproduces every reputation sequence: decay, evidence and score', async () => {
    const decayTo = harness.getFunction('decayTo')
    const score = harness.getFunction('score')
    for (const sequence of reputationVectors.sequences) {
      const p = Object.fromEntries(Object.entries(sequence.params).map(([k, v]) => [k, BigInt(v)])) as Record<
        keyof typeof sequence.params,
        bigint
      >
      const weights = {
        accepted: [p.weightAccepted, 0n],
        rejected: [0n, p.weightRejected],
        absent: [0n, p.weightAbsent],
        disagreement: [0n, p.weightDisagreement],
      } as const
      let positive = 0n
      let negative = 0n
      let lastRound = 0n
      for (const step of sequence.steps) {
        const round = BigInt(step.round)
        ;[positive, negative] = (await decayTo(positive, negative, lastRound, round, p.decay)) as [bigint, bigint]
        if (round > lastRound) lastRound = round
        const [addPositive, addNegative] = weights[step.event]
        positive += addPositive
        negative += addNegative
      }
      expect({ name: sequence.name, positive, negative, lastRound }).toEqual({
        name: sequence.name,
        positive: BigInt(sequence.expected.positive),
        negative: BigInt(sequence.expected.negative),
        lastRound: BigInt(sequence.expected.lastRound),
      })
      const onChainScore = (await score(positive, negative, p.priorWeight, p.baseRate)) as bigint
      expect({ name: sequence.name, score: onChainScore }).toEqual({
        name: sequence.name,
        score: BigInt(sequence.expected.score),
      })
    }
  })

  it('reproduces every reward split, dust and conservation included', async () => {
    const split = harness.getFunction('split')
    for (const vector of splitVectors.cases) {
      const { input, expected } = vector
      const [feePerMember, shares] = (await split(
        BigInt(input.pool),
        BigInt(input.committeeFeeBps),
        BigInt(input.committeeMembers),
        input.participants.map((x) => BigInt(x.score)),
        input.participants.map((x) => BigInt(x.qualityBps)),
      )) as [bigint, bigint[]]
      expect({ name: vector.name, feePerMember, shares: [...shares] }).toEqual({
        name: vector.name,
        feePerMember: BigInt(expected.feePerMember),
        shares: expected.shares.map((s) => BigInt(s.share)),
      })
      const paid = shares.reduce((a, b) => a + b, 0n) + feePerMember * BigInt(input.committeeMembers)
      expect(paid + BigInt(expected.refundable)).toBe(BigInt(input.pool))
    }
  })
})
