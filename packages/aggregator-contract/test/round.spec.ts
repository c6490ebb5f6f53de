import { keccak256, toUtf8Bytes } from 'ethers'
import { describe, expect, it } from 'vitest'
import { TaskStatus, bitmapOf } from '../src/index.js'
import {
  TOKEN,
  as,
  commit,
  createTask,
  expectRevert,
  finalize,
  openRound,
  roundState,
  send,
  share,
  submit,
  useConsortium,
} from './fixtures/consortium.js'

describe('a round end to end (5 hospitals, committee = everyone)', () => {
  const c = useConsortium({ hospitals: 5 })

  it('opens, commits, shares, reaches quorum, finalizes and pays by claim', async () => {
    const taskId = await createTask(c, { rounds: 2 })
    const round = await openRound(c, taskId)
    expect(round).toBe(1n)
    const state0 = await roundState(c, taskId)
    expect(state0.committee).toBe(bitmapOf([0, 1, 2, 3, 4]))

    const openings = []
    for (const h of c.hospitals) openings.push(await commit(c, h, taskId, round))
    // Every active hospital committed: the share phase starts before the commit deadline.
    for (const [i, h] of c.hospitals.entries()) await share(c, h, taskId, round, openings[i]!)
    const accepted = bitmapOf([0, 1, 2, 4])
    const model = keccak256(toUtf8Bytes('model r1'))
    for (const h of c.hospitals.slice(0, 3)) await submit(c, h, taskId, round, accepted, model)
    await expectRevert(finalize(c, taskId, round), 'AggregatorQuorumNotReached')
    await submit(c, c.hospitals[3]!, taskId, round, accepted, model)
    expect((await roundState(c, taskId)).quorumAccepted).toBe(accepted)

    await finalize(c, taskId, round)
    await expectRevert(finalize(c, taskId, round), 'AggregatorRoundAlreadyClosed')
    const current = (await c.aggregator.getFunction('currentModel')(taskId)) as { sha256: string; cid: string }
    expect(current.sha256).toBe(model)
    const schedule = (await c.aggregator.getFunction('taskSchedule')(taskId)) as { status: bigint; finalizedRounds: bigint }
    expect(Number(schedule.status)).toBe(TaskStatus.Ready)
    expect(schedule.finalizedRounds).toBe(1n)

    // Accepted participants gained reputation, the rejected one lost.
    const [, , , scoreAccepted] = (await c.aggregator.getFunction('reputationOf')(0)) as bigint[]
    const [, , , scoreRejected] = (await c.aggregator.getFunction('reputationOf')(3)) as bigint[]
    expect(scoreAccepted!).toBeGreaterThan(5n * 10n ** 17n)
    expect(scoreRejected!).toBeLessThan(5n * 10n ** 17n)

    // Whole reward credited: 4 accepted + fee for 4 agreeing members.
    let credited = 0n
    for (const h of c.hospitals) credited += (await c.aggregator.getFunction('claimable')(h.address)) as bigint
    expect(credited).toBe(1000n * TOKEN)
    const before = (await c.token.getFunction('balanceOf')(c.hospitals[0]!.address)) as bigint
    const owed = (await c.aggregator.getFunction('claimable')(c.hospitals[0]!.address)) as bigint
    await send(as(c.aggregator, c.hospitals[0]!).getFunction('claim')())
    expect((await c.token.getFunction('balanceOf')(c.hospitals[0]!.address)) as bigint).toBe(before + owed)
    await expectRevert(as(c.aggregator, c.hospitals[0]!).getFunction('claim')(), 'AggregatorNothingToClaim')
  })
})
