import type { Contract } from 'ethers'
import { decodeHospitalProfile, type HospitalProfile } from './protocol.js'
import type { HospitalStatus, RoundState, TaskSchedule, TaskStatus } from './types.js'

/** A hospital's registry record, decoded. */
export interface HospitalRecord {
  readonly status: HospitalStatus
  /** Registry index: its bit in every round bitmap (meaningful once admitted). */
  readonly index: number
  readonly stake: bigint
  /** Unix seconds from which an exiting hospital may withdraw (0 when no exit was requested). */
  readonly exitAvailableAt: bigint
  /** Discovery data, or `undefined` when the stored bytes are not a valid profile. */
  readonly profile: HospitalProfile | undefined
}

/** A hospital's stored reputation and the score the next reward split uses. */
export interface ReputationRecord {
  readonly positive: bigint
  readonly negative: bigint
  readonly lastRound: bigint
  readonly score: bigint
}

/** State of a task's open (or last) round. */
export async function readRoundState(aggregator: Contract, taskId: bigint): Promise<RoundState> {
  const [committed, shared, committee, submitted, quorumKey, quorumAccepted] = (await aggregator.getFunction(
    'roundState',
  )(taskId)) as [bigint, bigint, bigint, bigint, string, bigint]
  return { committed, shared, committee, submitted, quorumKey, quorumAccepted }
}

/** Schedule, status and counters of a task (numbers, not bigints: all fit in 40 bits). */
export async function readTaskSchedule(aggregator: Contract, taskId: bigint): Promise<TaskSchedule> {
  const s = (await aggregator.getFunction('taskSchedule')(taskId)) as Record<string, bigint>
  const n = (key: string) => Number(s[key])
  return {
    round: n('round'),
    openedAt: n('openedAt'),
    commitDuration: n('commitDuration'),
    shareDuration: n('shareDuration'),
    verifyDuration: n('verifyDuration'),
    status: n('status') as TaskStatus,
    committeeSize: n('committeeSize'),
    minParticipants: n('minParticipants'),
    quorum: n('quorum'),
    activeModel: n('activeModel'),
    finalizedRounds: n('finalizedRounds'),
  }
}

/** Phase deadlines (unix seconds) of the task's current round. */
export function roundDeadlines(schedule: TaskSchedule): { commit: number; share: number; verify: number } {
  const commit = schedule.openedAt + schedule.commitDuration
  const share = commit + schedule.shareDuration
  return { commit, share, verify: share + schedule.verifyDuration }
}

/** Registry record of `account`. */
export async function readHospital(aggregator: Contract, account: string): Promise<HospitalRecord> {
  const [status, index, record] = (await aggregator.getFunction('hospital')(account)) as [
    bigint,
    bigint,
    { stake: bigint; exitAvailableAt: bigint; profile: string },
  ]
  let profile: HospitalProfile | undefined
  try {
    profile = record.profile === '0x' ? undefined : decodeHospitalProfile(record.profile)
  } catch {
    profile = undefined
  }
  return {
    status: Number(status) as HospitalStatus,
    index: Number(index),
    stake: record.stake,
    exitAvailableAt: record.exitAvailableAt,
    profile,
  }
}

/** Stored reputation of registry index `index`. */
export async function readReputation(aggregator: Contract, index: number): Promise<ReputationRecord> {
  const [positive, negative, lastRound, score] = (await aggregator.getFunction('reputationOf')(index)) as bigint[]
  return { positive: positive!, negative: negative!, lastRound: lastRound!, score: score! }
}

/** The last finalized global model of a task (the model spec before the first finalized round). */
export async function readCurrentModel(aggregator: Contract, taskId: bigint): Promise<{ sha256: string; cid: string }> {
  const model = (await aggregator.getFunction('currentModel')(taskId)) as { sha256: string; cid: string }
  return { sha256: model.sha256, cid: model.cid }
}
