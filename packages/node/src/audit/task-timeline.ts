import type { AuditEvent, AuditEventName } from './decode-events.js'
import { TaskNotFoundError } from './errors.js'

/** The decoded event named `N`. */
export type EventOf<N extends AuditEventName> = Extract<AuditEvent, { readonly name: N }>

/** One round of a task as the chain recorded it. */
export interface RoundTimeline {
  /** The contract's round id (an attempt counter: an aborted round's id is not reused). */
  readonly round: number
  /** 1-based position among the task's opened rounds: the round number a simulation gives its strategy. */
  readonly attempt: number
  readonly opened: EventOf<'RoundOpened'>
  readonly commits: readonly EventOf<'UpdateCommitted'>[]
  readonly shares: readonly EventOf<'UpdateShared'>[]
  readonly verdicts: readonly EventOf<'VerdictSubmitted'>[]
  readonly quorum: EventOf<'QuorumReached'> | undefined
  readonly finalized: EventOf<'RoundFinalized'> | undefined
  readonly rewards: EventOf<'RewardsCredited'> | undefined
  readonly aborted: EventOf<'RoundAborted'> | undefined
  readonly status: 'open' | 'finalized' | 'aborted'
}

/** The registry: which account holds which bitmap index. */
export interface HospitalRegistry {
  /** Checksummed address by registry index. */
  readonly addressAt: ReadonlyMap<number, string>
  /** Registry index by lower-case address. */
  readonly indexOf: ReadonlyMap<string, number>
}

/** One task's history. */
export interface TaskTimeline {
  readonly taskId: bigint
  readonly created: EventOf<'TaskCreated'>
  readonly rounds: readonly RoundTimeline[]
  readonly completed: EventOf<'TaskCompleted'> | undefined
  readonly hospitals: HospitalRegistry
}

function is<N extends AuditEventName>(name: N) {
  return (event: AuditEvent): event is EventOf<N> => event.name === name
}

/** The registry built from `HospitalAdmitted` events (indices are never reused). */
export function hospitalRegistry(events: readonly AuditEvent[]): HospitalRegistry {
  const addressAt = new Map<number, string>()
  const indexOf = new Map<string, number>()
  for (const e of events.filter(is('HospitalAdmitted'))) {
    addressAt.set(e.index, e.account)
    indexOf.set(e.account.toLowerCase(), e.index)
  }
  return { addressAt, indexOf }
}

/** Ids of the tasks created on chain, in creation order. */
export function taskIds(events: readonly AuditEvent[]): bigint[] {
  return events.filter(is('TaskCreated')).map((e) => e.taskId)
}

/**
 * Groups a task's events by round, in chain order.
 * @throws {TaskNotFoundError} when no `TaskCreated` event has this id
 */
export function taskTimeline(events: readonly AuditEvent[], taskId: bigint): TaskTimeline {
  const created = events.filter(is('TaskCreated')).find((e) => e.taskId === taskId)
  if (created === undefined) throw new TaskNotFoundError(`task ${taskId}`, taskIds(events).map(String))
  const ofTask = events.filter((e) => 'taskId' in e && e.taskId === taskId)
  const rounds: RoundTimeline[] = []
  for (const opened of ofTask.filter(is('RoundOpened'))) {
    const inRound = ofTask.filter((e) => 'round' in e && e.round === opened.round)
    const finalized = inRound.find(is('RoundFinalized'))
    const aborted = inRound.find(is('RoundAborted'))
    rounds.push({
      round: opened.round,
      attempt: rounds.length + 1,
      opened,
      commits: inRound.filter(is('UpdateCommitted')),
      shares: inRound.filter(is('UpdateShared')),
      verdicts: inRound.filter(is('VerdictSubmitted')),
      quorum: inRound.find(is('QuorumReached')),
      finalized,
      rewards: inRound.find(is('RewardsCredited')),
      aborted,
      status: finalized !== undefined ? 'finalized' : aborted !== undefined ? 'aborted' : 'open',
    })
  }
  return { taskId, created, rounds, completed: ofTask.find(is('TaskCompleted')), hospitals: hospitalRegistry(events) }
}

/**
 * The submission that completed the quorum (its model CID and quality scores are the ones the
 * contract kept): the `VerdictSubmitted` emitted in the same transaction as `QuorumReached`.
 */
export function quorumVerdict(round: RoundTimeline): EventOf<'VerdictSubmitted'> | undefined {
  const quorum = round.quorum
  if (quorum === undefined) return undefined
  return (
    round.verdicts.find((v) => v.transactionHash.toLowerCase() === quorum.transactionHash.toLowerCase()) ??
    round.verdicts.find((v) => v.acceptedBitmap === quorum.acceptedBitmap && v.modelSha256 === quorum.modelSha256)
  )
}

/** The task's last finalized round at or before `round` (any round when undefined). */
export function lastFinalized(task: TaskTimeline, round?: number): RoundTimeline | undefined {
  return task.rounds.filter((r) => r.status === 'finalized' && (round === undefined || r.round <= round)).at(-1)
}
