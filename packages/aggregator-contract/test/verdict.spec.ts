import { AbiCoder, keccak256, toUtf8Bytes, ZeroHash } from 'ethers'
import { describe, expect, it } from 'vitest'
import { bitmapOf, indicesOf } from '../src/index.js'
import {
  as,
  commit,
  createTask,
  expectRevert,
  finalize,
  openRound,
  roundState,
  share,
  signersOf,
  submit,
  useConsortium,
} from './fixtures/consortium.js'

const MODEL = keccak256(toUtf8Bytes('aggregate of 17'))

describe('verdicts over more than 16 participants (quality scores span two words)', () => {
  const c = useConsortium({ hospitals: 17 })

  it('checks every score word by word, names the first bad position, and reports the quorum key', async () => {
    const taskId = await createTask(c)
    const round = await openRound(c, taskId)
    const openings = []
    for (const h of c.hospitals) openings.push(await commit(c, h, taskId, round))
    for (const [i, h] of c.hospitals.entries()) await share(c, h, taskId, round, openings[i]!)
    const accepted = bitmapOf(c.hospitals.map((_, i) => i))
    const { committee } = await roundState(c, taskId)
    const members = signersOf(c, committee)
    expect(members).toHaveLength(7)
    const fn = as(c.aggregator, members[0]!).getFunction('submitVerdict')
    const scores = c.hospitals.map(() => 9000)
    for (const position of [0, 15, 16]) {
      const bad = scores.map((s, i) => (i === position ? 10_001 : s))
      const args = await expectRevert(
        // Raw encoding: encodeQualityScores refuses out-of-range scores before they reach the chain.
        fn(taskId, round, accepted, MODEL, 'cid', '0x' + bad.map((s) => s.toString(16).padStart(4, '0')).join('')),
        'AggregatorQualityScoreTooHigh',
      )
      expect(args).toEqual({ position: BigInt(position), score: 10_001n })
    }
    // The edge of the range is valid.
    const edge = scores.map((s, i) => (i === 16 ? 10_000 : s))

    const quorum = 5
    for (const member of members.slice(0, quorum - 1)) await submit(c, member, taskId, round, accepted, MODEL, edge)
    expect((await roundState(c, taskId)).quorumKey).toBe(ZeroHash)
    await submit(c, members[quorum - 1]!, taskId, round, accepted, MODEL, edge)
    const key = keccak256(
      AbiCoder.defaultAbiCoder().encode(['uint256', 'uint32', 'uint256', 'bytes32'], [taskId, round, accepted, MODEL]),
    )
    const reached = await roundState(c, taskId)
    expect(reached.quorumKey).toBe(key)
    expect(reached.quorumAccepted).toBe(accepted)
    // A late dissenting member still counts as dissenting at finalize.
    const other = bitmapOf(indicesOf(accepted).slice(1))
    await submit(c, members[quorum]!, taskId, round, other, MODEL)
    expect((await roundState(c, taskId)).submitted).toBe(bitmapOf([...indicesOf(committee)].slice(0, quorum + 1)))
    const receipt = await finalize(c, taskId, round)
    const finalized = receipt.logs
      .map((log) => c.aggregator.interface.parseLog(log))
      .find((event) => event?.name === 'RoundFinalized')!
    expect(finalized.args['dissenting']).toBe(bitmapOf([indicesOf(committee)[quorum]!]))
    expect((await roundState(c, taskId)).quorumKey).toBe(key)
  })
})
