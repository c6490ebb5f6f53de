import { keccak256, toUtf8Bytes, ZeroHash } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  HospitalStatus,
  TaskStatus,
  bitmapOf,
  readCurrentModel,
  readHospital,
  readReputation,
  readRoundState,
  readTaskSchedule,
  roundDeadlines,
} from '../src/index.js'
import { commit, createTask, openRound, startConsortium, type Consortium } from './fixtures/consortium.js'

describe('typed view readers', () => {
  let c: Consortium
  beforeAll(async () => {
    c = await startConsortium({ hospitals: 2, outsiders: 1 })
  })
  afterAll(async () => {
    await c.chain.stop()
  })

  it('decode hospitals, schedules, rounds, reputation and the current model', async () => {
    const hospital = await readHospital(c.aggregator, c.hospitals[1]!.address)
    expect(hospital).toMatchObject({ status: HospitalStatus.Active, index: 1, stake: c.minStake, exitAvailableAt: 0n })
    expect(hospital.profile?.peerId).toBe('12D3KooWPeer1')
    expect((await readHospital(c.aggregator, c.outsiders[0]!.address)).status).toBe(HospitalStatus.None)

    const taskId = await createTask(c, { commitDuration: 10, shareDuration: 20, verifyDuration: 30 })
    // Before its first round a task has no quorum (and nothing committed, shared or submitted).
    expect(await readRoundState(c.aggregator, taskId)).toMatchObject({ quorumKey: ZeroHash, quorumAccepted: 0n, submitted: 0n })
    const round = await openRound(c, taskId)
    await commit(c, c.hospitals[0]!, taskId, round)
    const schedule = await readTaskSchedule(c.aggregator, taskId)
    expect(schedule).toMatchObject({ round: 1, status: TaskStatus.RoundOpen, quorum: 2, finalizedRounds: 0 })
    expect(roundDeadlines(schedule)).toEqual({ commit: schedule.openedAt + 10, share: schedule.openedAt + 30, verify: schedule.openedAt + 60 })
    const state = await readRoundState(c.aggregator, taskId)
    expect(state.committed).toBe(bitmapOf([0]))
    expect(state.committee).toBe(bitmapOf([0, 1]))
    expect(await readReputation(c.aggregator, 0)).toEqual({ positive: 0n, negative: 0n, lastRound: 0n, score: 5n * 10n ** 17n })
    expect(await readCurrentModel(c.aggregator, taskId)).toEqual({ sha256: keccak256(toUtf8Bytes('model spec')), cid: 'bafkreispec' })
  })
})
