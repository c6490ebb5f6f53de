import { AggregationError } from './errors.js'
import { coordinateMedian, cosine, krumScores, l2, sortedUpdates, weightedMean } from './math.js'
import type { ClientUpdate } from './types.js'

/** Which checks run and their thresholds; an omitted check is skipped. */
export interface VerificationPolicy {
  /** Absolute bound on ‖Δ‖₂ (e.g. what DP clipping implies). */
  readonly maxNorm?: number
  /** Reject ‖Δ‖ above this multiple of the reference median norm (boosting, noise). @default 3 */
  readonly maxNormRatio?: number
  /** Reject ‖Δ‖ below this multiple of the reference median norm (free riders replaying the model). @default 0.02 */
  readonly minNormRatio?: number
  /**
   * Compare norms per training example (‖Δ‖ / examples) instead of raw norms: a hospital with more
   * data takes more local steps and honestly moves further, while a boosted small one stands out.
   * @default false
   */
  readonly normPerExample?: boolean
  /**
   * Each hospital's ‖Δ‖ when its update was last accepted. An update over `maxNormRatio` is still
   * accepted when its norm is no larger than that and its norm per training example is within
   * `maxNormRatio` of the reference median: a hospital with much more data than the others takes
   * more local steps and honestly moves further than the median every round, while a boosted
   * update is large for its data too. The exemption never raises the bound (an exempt norm is at
   * most the recorded one), so a hospital cannot ratchet it up, and a hospital that never had an
   * update accepted gets none.
   */
  readonly acceptedNorms?: ReadonlyMap<string, number>
  /**
   * Multi-Krum: with f assumed Byzantine participants, reject the f updates with the worst Krum
   * scores (needs n ≥ f + 3). Omitted: no Krum check.
   */
  readonly byzantine?: number
  /** Reject cosine to the coordinate-median update below this. @default 0 */
  readonly minCosineToMedian?: number
  /**
   * Ids whose updates form the reference: the median norm of `maxNormRatio`/`minNormRatio` and the
   * coordinate median of the cosine check, e.g. the hospitals with an established reputation, so
   * colluding newcomers or repeat offenders cannot drag either towards themselves.
   * @default every update
   */
  readonly referenceIds?: ReadonlySet<string>
  /**
   * With `validation`, reject a low cosine only when the holdout also shows the update does not
   * help the aggregate: under label skew honest hospitals often point away from the median.
   * @default true
   */
  readonly cosineNeedsLossEvidence?: boolean
  /**
   * The verifier's own holdout: `lossOf(Δ)` is the holdout loss of global + Δ. Each update is
   * judged by its marginal effect on the aggregate: with A the example-weighted mean of the updates
   * that passed the other checks and A₋ᵢ the same mean without update i, reject when
   * loss(A) − loss(A₋ᵢ) > `maxLossIncrease`. Judging updates alone would reject honest hospitals
   * whose skewed local data pulls the model away from a balanced holdout on its own.
   */
  readonly validation?: {
    readonly lossOf: (delta: Float32Array) => number
    /** @default 0.01 */
    readonly maxLossIncrease?: number
    /**
     * Also tolerate harm up to this fraction of the round's improvement loss(0) − loss(A): early
     * rounds move the loss a lot and skewed honest updates disagree more.
     * @default 0.1
     */
    readonly relativeLossIncrease?: number
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
  const perExampleNorms = norms.map((n, i) => n / Math.max(1, (sorted[i] as ClientUpdate).examples))
  const scaledNorms = (policy.normPerExample ?? false) ? perExampleNorms : norms
  // Norm and direction are both judged against the reference hospitals when any are present.
  const reference = sorted.map((u) => policy.referenceIds?.has(u.id) ?? true)
  const fromReference = reference.includes(true) ? <T>(values: readonly T[]) => values.filter((_, i) => reference[i]) : <T>(values: readonly T[]) => values
  const medianNorm = median(fromReference(scaledNorms))
  const medianPerExample = median(fromReference(perExampleNorms))
  const medianUpdate = coordinateMedian(fromReference(deltas), size)
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
  // A large update is forgiven when the hospital's history and data size both account for it.
  const sizeExplainsNorm = (i: number) => {
    const previous = policy.acceptedNorms?.get((sorted[i] as ClientUpdate).id)
    return previous !== undefined && (norms[i] as number) <= previous && (perExampleNorms[i] as number) <= maxRatio * medianPerExample
  }
  const firstPass = sorted.map((u, i) => {
    const norm = norms[i] as number
    const scaled = scaledNorms[i] as number
    const normRatio = medianNorm > 0 ? scaled / medianNorm : scaled > 0 ? Number.POSITIVE_INFINITY : 1
    const cos = cosine(u.delta, medianUpdate)
    let reason: Verdict['reason'] = 'ok'
    if (policy.maxNorm !== undefined && norm > policy.maxNorm) reason = 'norm-bound'
    else if (normRatio > maxRatio && !sizeExplainsNorm(i)) reason = 'norm-too-large'
    else if (norm === 0 || normRatio < minRatio) reason = 'norm-too-small'
    else if (krumRejected.has(i)) reason = 'krum-outlier'
    else if (cos < minCosine) reason = 'cosine-to-median'
    return { norm, normRatio, cos, reason }
  })
  // The aggregate the holdout judges is built from every update that passed the magnitude and
  // Krum checks, including those with a low cosine: under label skew an honest hospital's update
  // can point away from the median yet improve the aggregate.
  const lossDeltas =
    policy.validation === undefined
      ? undefined
      : marginalLossDeltas(sorted, firstPass.map((p) => p.reason === 'ok' || p.reason === 'cosine-to-median'), policy.validation.lossOf)
  let maxLossIncrease = policy.validation?.maxLossIncrease ?? 0.01
  if (policy.validation !== undefined && lossDeltas !== undefined) {
    const relative = policy.validation.relativeLossIncrease ?? 0.1
    const passing = sorted.filter((_, i) => lossDeltas[i] !== undefined)
    if (relative > 0 && passing.length > 0) {
      const aggregate = Float32Array.from(weightedMean(passing.map((u) => u.delta), passing.map((u) => u.examples), size))
      const improvement = policy.validation.lossOf(new Float32Array(size)) - policy.validation.lossOf(aggregate)
      maxLossIncrease = Math.max(maxLossIncrease, relative * improvement)
    }
  }
  return sorted.map((u, i) => {
    const { norm, normRatio, cos } = firstPass[i] as (typeof firstPass)[number]
    let reason: Verdict['reason'] = (firstPass[i] as (typeof firstPass)[number]).reason
    const lossDelta = lossDeltas?.[i]
    // With a holdout, a low cosine alone is not enough: it must also not help the aggregate.
    if (reason === 'cosine-to-median' && policy.cosineNeedsLossEvidence !== false && lossDelta !== undefined && lossDelta < 0) reason = 'ok'
    if (reason === 'ok' && lossDelta !== undefined && !(lossDelta <= maxLossIncrease)) reason = 'validation-loss'
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

/** loss(A) − loss(A₋ᵢ) for every update that passed (undefined for the others). */
function marginalLossDeltas(updates: readonly ClientUpdate[], passed: readonly boolean[], lossOf: (delta: Float32Array) => number): (number | undefined)[] {
  const size = (updates[0] as ClientUpdate).delta.length
  const sum = new Float64Array(size)
  let weight = 0
  updates.forEach((u, i) => {
    if (!passed[i]) return
    weight += u.examples
    for (let j = 0; j < size; j++) sum[j] = (sum[j] as number) + u.examples * (u.delta[j] as number)
  })
  if (weight === 0) return updates.map(() => undefined)
  const all = Float32Array.from(sum, (v) => v / weight)
  const lossAll = lossOf(all)
  return updates.map((u, i) => {
    if (!passed[i]) return undefined
    const rest = weight - u.examples
    // A lone update has no aggregate to compare with: judge it against the unchanged model.
    const without = new Float32Array(size)
    if (rest > 0) for (let j = 0; j < size; j++) without[j] = ((sum[j] as number) - u.examples * (u.delta[j] as number)) / rest
    return lossAll - lossOf(without)
  })
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}
