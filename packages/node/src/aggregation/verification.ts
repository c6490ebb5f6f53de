import { AggregationError } from './errors.js'
import { coordinateMedian, cosine, krumScores, l2, sortedUpdates } from './math.js'
import type { ClientUpdate } from './types.js'

/** Which checks run and their thresholds; an omitted check is skipped. */
export interface VerificationPolicy {
  /** Absolute bound on ‖Δ‖₂ (e.g. what DP clipping implies). */
  readonly maxNorm?: number
  /** Reject ‖Δ‖ above this multiple of the median norm of the round (boosting). @default 3 */
  readonly maxNormRatio?: number
  /** Reject ‖Δ‖ below this multiple of the median norm (free riders replaying the model). @default 0.02 */
  readonly minNormRatio?: number
  /**
   * Multi-Krum: with f assumed Byzantine participants, reject the f updates with the worst Krum
   * scores (needs n ≥ f + 3). Omitted: no Krum check.
   */
  readonly byzantine?: number
  /** Reject cosine to the coordinate-median update below this. @default 0 */
  readonly minCosineToMedian?: number
  /**
   * The verifier's own holdout: loss of a parameter delta applied to the global model.
   * Reject when loss(global + Δ) − loss(global) exceeds `maxLossIncrease`.
   */
  readonly validation?: {
    readonly lossOf: (delta: Float32Array | undefined) => number
    /** @default 0.05 */
    readonly maxLossIncrease?: number
  }
}

/** Why an update was rejected (first failing check in this order). */
export type RejectionReason = 'norm-bound' | 'norm-too-large' | 'norm-too-small' | 'krum-outlier' | 'cosine-to-median' | 'validation-loss'

/** The verifier's decision on one update. */
export interface Verdict {
  readonly id: string
  readonly accepted: boolean
  /** Cosine to the coordinate median, in [−1, 1]: the headline quality score reported on chain. */
  readonly score: number
  /** 'ok' or the first failed check. */
  readonly reason: 'ok' | RejectionReason
  readonly metrics: {
    readonly norm: number
    readonly normRatio: number
    readonly cosineToMedian: number
    readonly krumScore?: number
    readonly lossDelta?: number
  }
}

/**
 * Scores and accepts or rejects every update of a round against the others and the verifier's
 * holdout. Deterministic; verdicts come back sorted by id.
 */
export function verifyUpdates(parameters: { readonly updates: readonly ClientUpdate[]; readonly policy?: VerificationPolicy }): Verdict[] {
  const policy = parameters.policy ?? {}
  const first = parameters.updates[0]
  if (first === undefined) return []
  const sorted = sortedUpdates(parameters.updates, first.delta.length)
  const size = first.delta.length
  const deltas = sorted.map((u) => u.delta)
  const norms = deltas.map(l2)
  const medianNorm = median(norms)
  const medianUpdate = coordinateMedian(deltas, size)
  const maxRatio = policy.maxNormRatio ?? 3
  const minRatio = policy.minNormRatio ?? 0.02
  const minCosine = policy.minCosineToMedian ?? 0
  if (policy.maxNorm !== undefined && !(policy.maxNorm > 0)) throw new AggregationError(`maxNorm must be positive; got ${policy.maxNorm}`)
  let krum: number[] | undefined
  let krumRejected = new Set<number>()
  if (policy.byzantine !== undefined && policy.byzantine > 0 && sorted.length >= policy.byzantine + 3) {
    krum = krumScores(deltas, policy.byzantine)
    const worst = krum
      .map((s, i) => ({ s, i }))
      .sort((a, b) => b.s - a.s || a.i - b.i)
      .slice(0, policy.byzantine)
    krumRejected = new Set(worst.map((e) => e.i))
  }
  const baseLoss = policy.validation?.lossOf(undefined)
  const maxLossIncrease = policy.validation?.maxLossIncrease ?? 0.05
  return sorted.map((u, i) => {
    const norm = norms[i] as number
    const normRatio = medianNorm > 0 ? norm / medianNorm : norm > 0 ? Number.POSITIVE_INFINITY : 1
    const cos = cosine(u.delta, medianUpdate)
    let reason: Verdict['reason'] = 'ok'
    if (policy.maxNorm !== undefined && norm > policy.maxNorm) reason = 'norm-bound'
    else if (normRatio > maxRatio) reason = 'norm-too-large'
    else if (norm === 0 || normRatio < minRatio) reason = 'norm-too-small'
    else if (krumRejected.has(i)) reason = 'krum-outlier'
    else if (cos < minCosine) reason = 'cosine-to-median'
    let lossDelta: number | undefined
    if (policy.validation !== undefined && baseLoss !== undefined) {
      lossDelta = policy.validation.lossOf(u.delta) - baseLoss
      if (reason === 'ok' && !(lossDelta <= maxLossIncrease)) reason = 'validation-loss'
    }
    return {
      id: u.id,
      accepted: reason === 'ok',
      score: cos,
      reason,
      metrics: {
        norm,
        normRatio,
        cosineToMedian: cos,
        ...(krum === undefined ? {} : { krumScore: krum[i] as number }),
        ...(lossDelta === undefined ? {} : { lossDelta }),
      },
    }
  })
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}
