/**
 * Subjective-logic reputation (Jøsang's beta opinions as used for federated learning by Kang et
 * al. 2019, "Incentive Mechanism for Reliable Federated Learning: A Joint Optimization Approach to
 * Combining Reputation and Contract Theory"), in the integer fixed point of FIXED_POINT.md so the
 * contract computes identical values. Evidence decays exponentially per round so old behaviour
 * fades and a hospital can recover.
 */
import { UINT64_MAX, WAD } from './constants.js'
import { InvalidArgumentError } from './errors.js'
import { powWad, wadMul, wadToNumber } from './fixed-point.js'
import type { ReputationParameters } from './parameters.js'

/** Stored reputation of one hospital: evidence in WAD, and the round it was last decayed to. */
export interface ReputationState {
  /** Positive evidence (WAD). */
  readonly positive: bigint
  /** Negative evidence (WAD). */
  readonly negative: bigint
  /** Round the evidence was last decayed to (a `uint64` round id). */
  readonly lastRound: bigint
}

/**
 * What happened to a hospital in a round:
 * - `accepted`: its update was accepted by the quorum;
 * - `rejected`: its update was rejected;
 * - `absent`: it committed but did not share, or did not commit while required;
 * - `disagreement`: as a committee member, its submission disagreed with the quorum.
 */
export type ReputationEvent = 'accepted' | 'rejected' | 'absent' | 'disagreement'

/** All events, in the order the shared vectors and the contract enumerate them. */
export const REPUTATION_EVENTS: readonly ReputationEvent[] = Object.freeze([
  'accepted',
  'rejected',
  'absent',
  'disagreement',
])

/** A subjective-logic opinion and the trust score T = b + a·u, all WAD; b + d + u ≤ 1e18. */
export interface Opinion {
  readonly belief: bigint
  readonly disbelief: bigint
  readonly uncertainty: bigint
  /** T = b + a·u, always in [0, 1e18]. */
  readonly score: bigint
}

/** {@link Opinion} as floats, for display and float maths only. */
export interface OpinionNumbers {
  readonly belief: number
  readonly disbelief: number
  readonly uncertainty: number
  readonly score: number
}

/**
 * The state of a hospital without evidence.
 *
 * @param round - round the hospital joined; decay starts there. @default 0n
 */
export function initialReputationState(round: bigint = 0n): ReputationState {
  checkRound('round', round)
  return { positive: 0n, negative: 0n, lastRound: round }
}

function checkRound(name: string, round: bigint): void {
  if (typeof round !== 'bigint' || round < 0n || round > UINT64_MAX) {
    throw new InvalidArgumentError(name, `must be a bigint round id in [0, 2^64 − 1], got ${String(round)}`)
  }
}

/**
 * Decays the evidence to `round`: both kinds of evidence are multiplied by `decay^n`, with
 * `n = round − lastRound` (0 when `round ≤ lastRound`, so evidence is never decayed twice and
 * `lastRound` never moves back).
 *
 * @returns a new state; the input is not modified.
 */
export function decayTo(state: ReputationState, round: bigint, params: ReputationParameters): ReputationState {
  checkRound('round', round)
  if (round <= state.lastRound) return state
  const factor = powWad(params.decay, round - state.lastRound)
  return {
    positive: wadMul(state.positive, factor),
    negative: wadMul(state.negative, factor),
    lastRound: round,
  }
}

/**
 * Records an event at `round`: decay to the round first, then add the event's evidence weight.
 *
 * @throws {@link InvalidArgumentError} for an unknown event or a bad round.
 * @example
 * ```ts
 * let s = initialReputationState()
 * s = applyEvent(s, 'accepted', 1n, DEFAULT_REPUTATION_PARAMETERS)
 * opinion(s, DEFAULT_REPUTATION_PARAMETERS).score // → 666666666666666666n (b = 1/3, u = 2/3, a = 1/2)
 * ```
 */
export function applyEvent(
  state: ReputationState,
  event: ReputationEvent,
  round: bigint,
  params: ReputationParameters,
): ReputationState {
  const decayed = decayTo(state, round, params)
  switch (event) {
    case 'accepted':
      return { ...decayed, positive: decayed.positive + params.weightAccepted }
    case 'rejected':
      return { ...decayed, negative: decayed.negative + params.weightRejected }
    case 'absent':
      return { ...decayed, negative: decayed.negative + params.weightAbsent }
    case 'disagreement':
      return { ...decayed, negative: decayed.negative + params.weightDisagreement }
    default:
      throw new InvalidArgumentError(
        'event',
        `unknown reputation event ${JSON.stringify(event)}`,
        `Use one of ${REPUTATION_EVENTS.join(', ')}.`,
      )
  }
}

/**
 * The opinion of the stored state (no decay is applied: call {@link decayTo} first for the opinion
 * at a later round). `total = positive + negative + W`; `b = positive/total`, `d = negative/total`,
 * `u = W/total`, `T = b + a·u`, each division rounded down.
 */
export function opinion(state: ReputationState, params: ReputationParameters): Opinion {
  const total = state.positive + state.negative + params.priorWeight
  if (total === 0n) {
    throw new InvalidArgumentError('params.priorWeight', 'must be > 0', 'A zero prior weight makes the opinion of a hospital without evidence 0/0.')
  }
  const belief = (state.positive * WAD) / total
  const disbelief = (state.negative * WAD) / total
  const uncertainty = (params.priorWeight * WAD) / total
  const score = belief + (params.baseRate * uncertainty) / WAD
  return { belief, disbelief, uncertainty, score }
}

/** The opinion after decaying the state to `round`. */
export function opinionAt(state: ReputationState, round: bigint, params: ReputationParameters): Opinion {
  return opinion(decayTo(state, round, params), params)
}

/** Converts an {@link Opinion} to floats (display only). */
export function opinionToNumbers(value: Opinion): OpinionNumbers {
  return {
    belief: wadToNumber(value.belief),
    disbelief: wadToNumber(value.disbelief),
    uncertainty: wadToNumber(value.uncertainty),
    score: wadToNumber(value.score),
  }
}
