import { indicesOf } from '@fedchain/aggregator-contract'
import { initialReputationState, opinion, wadToNumber } from '@fedchain/reputation'
import type { ChainHistory } from './chain-history.js'
import { decodeHistory } from './decode-events.js'
import { TaskNotFoundError } from './errors.js'
import { replayReputation } from './replay-reputation.js'
import { taskIds, taskTimeline, type RoundTimeline } from './task-timeline.js'

/** One round of the task. */
export interface RoundStatus {
  readonly round: number
  readonly status: RoundTimeline['status']
  /** Addresses, ascending registry index. */
  readonly committee: readonly string[]
  readonly committed: readonly string[]
  readonly accepted: readonly string[]
  readonly rejected: readonly string[]
  readonly absent: readonly string[]
  readonly modelSha256: string | null
  readonly finalizeTx: string | null
  /** Test accuracy after the round, from the run's summary (simulations only). */
  readonly accuracy: number | null
  /** Token units paid to accepted participants and to each agreeing member; null unless finalized. */
  readonly participantsPaid: string | null
  readonly feePerMember: string | null
}

/** What a live chain says, next to what the events say. */
export interface LiveHospitalState {
  /** `reputationOf(index).score`, WAD. */
  readonly reputationScoreWad: string
  /** `claimable(address)`, token units. */
  readonly claimable: string
}

/** One hospital's standing. */
export interface HospitalStatus {
  readonly address: string
  readonly index: number
  /** The id the run's node used (simulations), else null. */
  readonly id: string | null
  /** Rounds of this task with the hospital accepted / rejected / absent (committed, not shared). */
  readonly accepted: number
  readonly rejected: number
  readonly absent: number
  /** Stored trust score T = b + a·u in [0, 1], recomputed from the events. */
  readonly reputation: number
  readonly reputationWad: string
  /** Token units credited by this task (participant shares + committee fees). */
  readonly rewardsTask: string
  /** Credited by all tasks minus claimed: what `claimable` returns. */
  readonly claimable: string
  /** Cumulative ε the hospital last reported on this task; null when it never reported one. */
  readonly epsilon: number | null
  readonly epsilonWad: string | null
  readonly live?: LiveHospitalState
}

/** `fedchain status` of one task. */
export interface TaskStatus {
  readonly source: string
  readonly chainId: number
  readonly aggregator: string
  readonly taskId: string
  readonly tasks: readonly string[]
  readonly modelSpecSha256: string
  readonly finalizedRounds: number
  readonly completed: boolean
  readonly modelSha256: string | null
  readonly rounds: readonly RoundStatus[]
  readonly hospitals: readonly HospitalStatus[]
}

/** Reads a hospital's live state (over RPC). */
export type LiveStateReader = (address: string, index: number) => Promise<LiveHospitalState>

/** Inputs of {@link taskStatus}. */
export interface TaskStatusParameters {
  readonly history: ChainHistory
  /** @default the history's task, else the last task created */
  readonly taskId?: bigint
  /** Lower-case address → node id (simulations). */
  readonly participantIds?: ReadonlyMap<string, string>
  /** Accuracy per round position (1-based) from a run summary. */
  readonly accuracy?: readonly (number | undefined)[]
  /** Adds each hospital's live `reputationOf` and `claimable`. */
  readonly live?: LiveStateReader
}

/**
 * Rounds, outcomes, reputation, rewards and ε per hospital of one task, recomputed from the
 * chain's events (reputation and rewards exactly as the contract computes them).
 * @throws {TaskNotFoundError} when the task is not in the history
 */
export async function taskStatus(parameters: TaskStatusParameters): Promise<TaskStatus> {
  const { history } = parameters
  const { events } = decodeHistory(history)
  const tasks = taskIds(events)
  const taskId = parameters.taskId ?? history.taskId ?? tasks.at(-1)
  if (taskId === undefined) throw new TaskNotFoundError('a task', [])
  const task = taskTimeline(events, taskId)
  const ledger = replayReputation(events)
  const addressAt = (i: number) => task.hospitals.addressAt.get(i) ?? `index ${i}`
  const addresses = (bits: bigint) => indicesOf(bits).map(addressAt)
  const byIndex = (list: readonly { hospital: string }[]) =>
    list.map((e) => e.hospital).sort((a, b) => (task.hospitals.indexOf.get(a.toLowerCase()) ?? 0) - (task.hospitals.indexOf.get(b.toLowerCase()) ?? 0))

  const rounds: RoundStatus[] = task.rounds.map((r) => {
    const f = r.finalized
    return {
      round: r.round,
      status: r.status,
      committee: addresses(r.opened.committee),
      committed: byIndex(r.commits),
      accepted: f === undefined ? [] : addresses(f.accepted),
      rejected: f === undefined ? [] : addresses(f.rejected),
      absent: f === undefined ? [] : addresses(f.absent),
      modelSha256: f?.modelSha256 ?? null,
      finalizeTx: f?.transactionHash ?? null,
      accuracy: parameters.accuracy?.[r.attempt - 1] ?? null,
      participantsPaid: r.rewards?.participantsPaid.toString() ?? null,
      feePerMember: r.rewards?.feePerMember.toString() ?? null,
    }
  })

  const hospitals: HospitalStatus[] = []
  for (const [index, address] of [...task.hospitals.addressAt.entries()].sort((a, b) => a[0] - b[0])) {
    const lower = address.toLowerCase()
    const count = (pick: (r: RoundStatus) => readonly string[]) => rounds.filter((r) => pick(r).some((a) => a.toLowerCase() === lower)).length
    const score = opinion(ledger.reputation.get(index) ?? initialReputationState(0n), ledger.params).score
    const rewardsTask = ledger.credits.filter((c) => c.taskId === taskId).reduce((sum, c) => sum + (c.credited.get(index) ?? 0n), 0n)
    const creditedAll = ledger.credits.reduce((sum, c) => sum + (c.credited.get(index) ?? 0n), 0n)
    const lastShare = task.rounds.flatMap((r) => r.shares).filter((s) => s.hospital.toLowerCase() === lower).at(-1)
    const epsilonWad = lastShare === undefined || lastShare.epsilonSpent === 0n ? null : lastShare.epsilonSpent
    hospitals.push({
      address,
      index,
      id: parameters.participantIds?.get(lower) ?? null,
      accepted: count((r) => r.accepted),
      rejected: count((r) => r.rejected),
      absent: count((r) => r.absent),
      reputation: wadToNumber(score),
      reputationWad: score.toString(),
      rewardsTask: rewardsTask.toString(),
      claimable: (creditedAll - (ledger.claimed.get(lower) ?? 0n)).toString(),
      epsilon: epsilonWad === null ? null : wadToNumber(epsilonWad),
      epsilonWad: epsilonWad?.toString() ?? null,
      ...(parameters.live === undefined ? {} : { live: await parameters.live(address, index) }),
    })
  }
  const last = task.rounds.filter((r) => r.status === 'finalized').at(-1)
  return {
    source: history.source,
    chainId: history.chainId,
    aggregator: history.aggregator,
    taskId: taskId.toString(),
    tasks: tasks.map(String),
    modelSpecSha256: task.created.modelSpecSha256,
    finalizedRounds: rounds.filter((r) => r.status === 'finalized').length,
    completed: task.completed !== undefined,
    modelSha256: last?.finalized?.modelSha256 ?? null,
    rounds,
    hospitals,
  }
}
