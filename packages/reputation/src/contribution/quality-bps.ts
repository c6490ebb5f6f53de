/**
 * Converts float contribution scores to the uint16 quality basis points (0 … 10000) that the
 * contract takes with a finalized submission.
 */
import { MAX_QUALITY_BPS } from '../constants.js'
import { InvalidArgumentError } from '../errors.js'

/**
 * How scores map to basis points:
 * - `max`: the best participant gets 10000, others in proportion (best resolution; Shapley, LOO);
 * - `sum`: proportional shares of 10000 (the values sum to at most 10000);
 * - `unit`: the score itself read as a fraction in [0, 1] (cosine similarity).
 */
export type QualityScale = 'max' | 'sum' | 'unit'

/** Options of {@link qualityBpsFromScores}. */
export interface QualityBpsOptions {
  /** @default 'max' */
  readonly scale?: QualityScale
}

/**
 * Maps contribution scores to quality basis points. Negative scores (harmful updates) get 0; when
 * no score is positive every participant gets 0 (the split then falls back to equal shares among
 * accepted participants, see FIXED_POINT.md).
 *
 * @returns integers in [0, 10000], one per score, rounded down.
 * @throws {@link InvalidArgumentError} for NaN or infinite scores.
 * @example
 * ```ts
 * qualityBpsFromScores([0.02, 0.01, -0.005]) // → [10000, 5000, 0]
 * qualityBpsFromScores([0.9, 0.3], { scale: 'unit' }) // → [9000, 3000]
 * ```
 */
export function qualityBpsFromScores(scores: readonly number[], options: QualityBpsOptions = {}): number[] {
  scores.forEach((s, i) => {
    if (!Number.isFinite(s)) throw new InvalidArgumentError(`scores[${i}]`, `must be finite, got ${s}`)
  })
  const scale = options.scale ?? 'max'
  const positive = scores.map((s) => Math.max(0, s))
  let denominator: number
  switch (scale) {
    case 'max':
      denominator = Math.max(0, ...positive)
      break
    case 'sum':
      denominator = positive.reduce((a, b) => a + b, 0)
      break
    case 'unit':
      denominator = 1
      break
    default:
      throw new InvalidArgumentError('options.scale', `unknown scale ${JSON.stringify(scale)}`, "Use 'max', 'sum' or 'unit'.")
  }
  if (denominator === 0) return positive.map(() => 0)
  return positive.map((s) => Math.min(MAX_QUALITY_BPS, Math.floor((s / denominator) * MAX_QUALITY_BPS + 1e-9)))
}
