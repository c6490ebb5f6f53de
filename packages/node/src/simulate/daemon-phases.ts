import type { PhaseTimings } from './summary.js'

/** The round a coordinator launched, and when (epoch milliseconds, this machine's clock). */
export interface LaunchedRound {
  readonly taskId: string
  readonly round: number
  /** When the round's `openRound` transaction was mined. */
  readonly launchedAt: number
  /** When the coordinator saw the round finalized or aborted on chain. */
  readonly endedAt: number
}

/** The fields of a daemon's JSON log line (daemon/logger.ts) that mark a round's steps. */
interface StepLine {
  readonly time: string
  readonly msg: string
  readonly taskId?: unknown
  readonly round?: unknown
  readonly ms?: unknown
}

/**
 * A round's phases as the node daemons lived them, read from their JSON logs (every daemon runs on
 * this machine, so their clocks agree): the round is cut where the last daemon logged `committed`,
 * `shared` and `verdict submitted`. `train` is the slowest daemon's training (its `trained` line),
 * `commit` the rest up to the last commitment, `share` up to the last share, `verify` (opening,
 * checking and aggregating the updates) up to the last verdict, `finalize` up to the end. Phases
 * overlap across daemons; each is the critical path's share of the round, so they add up to its
 * wall time. A step no daemon logged takes no time.
 */
export function phasesFromDaemonLogs(logs: readonly string[], round: LaunchedRound): PhaseTimings {
  const steps = logs.flatMap((log) => log.split('\n')).flatMap((line) => {
    const entry = parseStepLine(line)
    return entry !== undefined && String(entry.taskId) === round.taskId && entry.round === round.round ? [entry] : []
  })
  const lastAt = (msg: string, after: number): number => steps.filter((s) => s.msg === msg).reduce((latest, s) => Math.max(latest, Date.parse(s.time)), after)
  const slowestTraining = steps.filter((s) => s.msg === 'trained').reduce((slowest, s) => Math.max(slowest, typeof s.ms === 'number' ? s.ms : 0), 0)
  const committedAt = lastAt('committed', round.launchedAt)
  const sharedAt = lastAt('shared', committedAt)
  const verdictAt = lastAt('verdict submitted', sharedAt)
  const endedAt = Math.max(round.endedAt, verdictAt)
  const train = Math.min(slowestTraining, committedAt - round.launchedAt)
  return {
    train,
    commit: committedAt - round.launchedAt - train,
    share: sharedAt - committedAt,
    verify: verdictAt - sharedAt,
    aggregate: 0,
    finalize: endedAt - verdictAt,
  }
}

function parseStepLine(line: string): StepLine | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const value = JSON.parse(line) as Partial<StepLine>
    return typeof value.time === 'string' && typeof value.msg === 'string' && Number.isFinite(Date.parse(value.time)) ? (value as StepLine) : undefined
  } catch {
    return undefined
  }
}
