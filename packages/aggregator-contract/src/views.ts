import { ZeroHash, type Contract } from 'ethers'
import type { RoundState, TaskSchedule, TaskStatus, TaskTerms } from './types.js'

/** Number of tasks ever created; task ids run from 1 to it. */
export async function readTaskCount(aggregator: Contract): Promise<number> {
  return Number(await aggregator.getFunction('taskCount')())
}

/** State of a task's open (or last) round. */
export async function readRoundState(aggregator: Contract, taskId: bigint): Promise<RoundState> {
  const [committed, shared, committee, submitted, quorumKey, quorumAccepted] = (await aggregator.getFunction(
    'roundState',
  )(taskId)) as [bigint, bigint, bigint, bigint, string, bigint]
  return { committed, shared, committee, submitted, quorumKey, quorumAccepted, quorumReached: quorumKey !== ZeroHash }
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

/** Owner, rewards, DP budget and data schema of a task. */
export async function readTaskTerms(aggregator: Contract, taskId: bigint): Promise<TaskTerms> {
  const t = (await aggregator.getFunction('taskTerms')(taskId)) as Record<string, unknown>
  return {
    owner: t['owner'] as string,
    committeeFeeBps: Number(t['committeeFeeBps']),
    totalRounds: Number(t['totalRounds']),
    rewardPerRound: t['rewardPerRound'] as bigint,
    slashAmount: t['slashAmount'] as bigint,
    dpEpsilon: t['dpEpsilon'] as bigint,
    dpDelta: t['dpDelta'] as bigint,
    dataSchemaHash: t['dataSchemaHash'] as string,
    escrow: t['escrow'] as bigint,
  }
}

/** The last finalized global model of a task (the model spec before the first finalized round). */
export async function readCurrentModel(aggregator: Contract, taskId: bigint): Promise<{ sha256: string; cid: string }> {
  const model = (await aggregator.getFunction('currentModel')(taskId)) as { sha256: string; cid: string }
  return { sha256: model.sha256, cid: model.cid }
}
