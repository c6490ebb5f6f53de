import type { Dataset } from './dataset.js'

/** Per-feature mean and standard deviation, fitted on one party's training rows only. */
export interface Standardizer {
  readonly mean: Float64Array
  readonly std: Float64Array
  /** Population variance before the constant-column guard, kept so statistics can be merged. */
  readonly variance: Float64Array
  readonly count: number
}

/** Fits mean and standard deviation per feature (population std; constant columns get std 1). */
export function fitStandardizer(dataset: Dataset): Standardizer {
  const d = dataset.numFeatures
  const n = dataset.labels.length
  const mean = new Float64Array(d)
  const m2 = new Float64Array(d)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (dataset.features[i * d + j] as number)
  }
  for (let j = 0; j < d; j++) mean[j] = n > 0 ? (mean[j] as number) / n : 0
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const diff = (dataset.features[i * d + j] as number) - (mean[j] as number)
      m2[j] = (m2[j] as number) + diff * diff
    }
  }
  const variance = m2.map((v) => (n > 0 ? v / n : 0))
  return finish(mean, variance, n)
}

function finish(mean: Float64Array, variance: Float64Array, count: number): Standardizer {
  const std = variance.map((v) => (Math.sqrt(v) > 1e-12 ? Math.sqrt(v) : 1))
  return { mean, std, variance, count }
}

/**
 * Combines statistics that parties fitted on their own training rows into the pooled ones
 * (Chan et al. parallel variance): only counts, means and variances leave a party, never rows.
 */
export function mergeStandardizers(parts: readonly Standardizer[]): Standardizer {
  const first = parts[0]
  if (first === undefined) throw new RangeError('mergeStandardizers needs at least one part')
  const d = first.mean.length
  const count = parts.reduce((n, p) => n + p.count, 0)
  const mean = new Float64Array(d)
  const variance = new Float64Array(d)
  if (count === 0) return finish(mean, variance, 0)
  for (const p of parts) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (p.count * (p.mean[j] as number)) / count
  for (const p of parts) {
    for (let j = 0; j < d; j++) {
      const shift = (p.mean[j] as number) - (mean[j] as number)
      variance[j] = (variance[j] as number) + (p.count * ((p.variance[j] as number) + shift * shift)) / count
    }
  }
  return finish(mean, variance, count)
}

/** A standardizer from given per-feature means and (positive) standard deviations, e.g. a task's. */
export function standardizerOf(stats: { readonly mean: readonly number[]; readonly std: readonly number[] }): Standardizer {
  const std = Float64Array.from(stats.std)
  return { mean: Float64Array.from(stats.mean), std, variance: std.map((s) => s * s), count: 0 }
}

/** A new dataset with `(x − mean) / std` applied column-wise. */
export function applyStandardizer(dataset: Dataset, standardizer: Standardizer): Dataset {
  const d = dataset.numFeatures
  const features = new Float32Array(dataset.features.length)
  for (let i = 0; i < dataset.labels.length; i++) {
    for (let j = 0; j < d; j++) {
      features[i * d + j] = ((dataset.features[i * d + j] as number) - (standardizer.mean[j] as number)) / (standardizer.std[j] as number)
    }
  }
  return { ...dataset, features }
}
