/**
 * The phases a node goes through in one round, in order. `finalized` and `aborted` end a round.
 *
 * idle → training → committed → shared → (verifying → submitted)? → finalized | aborted
 *
 * Only committee members verify and submit; everyone else waits in `shared` for the outcome. A
 * member still `verifying` when the others' verdicts reach the quorum sees the round finalize
 * without its own verdict.
 */
export const ROUND_PHASES = ['idle', 'training', 'committed', 'shared', 'verifying', 'submitted', 'finalized', 'aborted'] as const
export type RoundPhase = (typeof ROUND_PHASES)[number]

const NEXT: Readonly<Record<RoundPhase, readonly RoundPhase[]>> = {
  idle: ['training', 'aborted'],
  training: ['committed', 'aborted'],
  committed: ['shared', 'aborted'],
  shared: ['verifying', 'finalized', 'aborted'],
  verifying: ['submitted', 'finalized', 'aborted'],
  submitted: ['finalized', 'aborted'],
  finalized: [],
  aborted: [],
}

/** Whether a node may move from `from` to `to` within one round. */
export function canAdvance(from: RoundPhase, to: RoundPhase): boolean {
  return NEXT[from].includes(to)
}

/** Whether a round in this phase is over for this node. */
export function isTerminal(phase: RoundPhase): boolean {
  return NEXT[phase].length === 0
}

export function isRoundPhase(value: unknown): value is RoundPhase {
  return typeof value === 'string' && (ROUND_PHASES as readonly string[]).includes(value)
}
