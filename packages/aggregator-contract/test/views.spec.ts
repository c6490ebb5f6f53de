import { keccak256, toUtf8Bytes, ZeroHash } from 'ethers'
import { describe, expect, it } from 'vitest'
import {
  HospitalStatus,
  TaskStatus,
  bitmapOf,
  readActiveHospitals,
  readClaimable,
  readCurrentModel,
  readHospital,
  readHospitalAt,
  readHospitalCount,
  readReputation,
  readRoundState,
  readTaskCount,
  readTaskSchedule,
  readTaskTerms,
  roundDeadlines,
} from '../src/index.js'
import { commit, createTask, openRound, taskConfig, useConsortium } from './fixtures/consortium.js'

describe('typed view readers', () => {
  const c = useConsortium({ hospitals: 2, outsiders: 1 })

  it('decode the registry, tasks, rounds, reputation, rewards and the current model', async () => {
    const hospital = await readHospital(c.aggregator, c.hospitals[1]!.address)
    expect(hospital).toMatchObject({ status: HospitalStatus.Active, index: 1, stake: c.minStake, exitAvailableAt: 0n })
    expect(hospital.profile?.peerId).toBe('12D3KooWPeer1')
    expect((await readHospital(c.aggregator, c.outsiders[0]!.address)).status).toBe(HospitalStatus.None)
    expect(await readHospitalCount(c.aggregator)).toBe(2)
    expect(await readHospitalAt(c.aggregator, 1)).toBe(c.hospitals[1]!.address)
    expect(await readActiveHospitals(c.aggregator)).toBe(bitmapOf([0, 1]))
    expect(await readClaimable(c.aggregator, c.hospitals[0]!.address)).toBe(0n)

    const taskId = await createTask(c, { commitDuration: 10, shareDuration: 20, verifyDuration: 30 })
    // Before its first round a task has no quorum (and nothing committed, shared or submitted).
    expect(await readRoundState(c.aggregator, taskId)).toMatchObject({ quorumKey: ZeroHash, quorumAccepted: 0n, submitted: 0n, quorumReached: false })
    expect(await readTaskCount(c.aggregator)).toBe(Number(taskId))
    const config = taskConfig()
    expect(await readTaskTerms(c.aggregator, taskId)).toEqual({
      owner: c.owner.address,
      committeeFeeBps: config.committeeFeeBps,
      totalRounds: config.rounds,
      rewardPerRound: config.rewardPerRound,
      slashAmount: config.slashAmount,
      dpEpsilon: config.dpEpsilon,
      dpDelta: config.dpDelta,
      dataSchemaHash: config.dataSchemaHash,
      escrow: config.rewardPerRound * BigInt(config.rounds),
    })
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
