import type { Dataset } from '../learning/data/dataset.js'
import type { DatasetSchema } from '../learning/data/schema.js'
import { fitStandardizer, mergeStandardizers } from '../learning/data/standardize.js'
import type { TaskStandardization } from './task-manifest.js'

/**
 * One hospital's per-feature statistics (`fedchain node stats`): the row count, mean and population
 * variance of each feature. Aggregates only, no record; merged across hospitals they give the
 * pooled mean and std (Chan et al.'s parallel variance), which `task create --standardization`
 * turns into the task's one feature scaling, without any hospital sharing rows.
 */
export interface FeatureStats {
  readonly format: 'fedchain-feature-stats'
  /** The schema's feature names, in order: statistics of different schemas do not merge. */
  readonly features: readonly string[]
  readonly count: number
  readonly mean: readonly number[]
  readonly variance: readonly number[]
}

/** The statistics of a hospital's raw (unscaled) rows. */
export function featureStatsOf(dataset: Dataset, schema: DatasetSchema): FeatureStats {
  const fitted = fitStandardizer(dataset)
  return { format: 'fedchain-feature-stats', features: [...schema.features], count: fitted.count, mean: [...fitted.mean], variance: [...fitted.variance] }
}

/**
 * Checks untrusted statistics against the task's schema.
 * @returns what is wrong, e.g. `features differ from the task schema's`, or undefined
 */
export function featureStatsProblem(value: unknown, schema: DatasetSchema): string | undefined {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Partial<Record<keyof FeatureStats, unknown>>
  if (v.format !== 'fedchain-feature-stats') return 'is not the output of `fedchain node stats` (format fedchain-feature-stats)'
  if (!Array.isArray(v.features) || v.features.join('\u0000') !== schema.features.join('\u0000')) return "features differ from the task schema's"
  if (!Number.isInteger(v.count) || (v.count as number) < 1) return 'count must be a positive integer'
  const d = schema.features.length
  const numbers = (list: unknown, ok: (x: number) => boolean) => Array.isArray(list) && list.length === d && list.every((x) => typeof x === 'number' && Number.isFinite(x) && ok(x))
  if (!numbers(v.mean, () => true)) return `mean must hold ${d} finite numbers`
  if (!numbers(v.variance, (x) => x >= 0)) return `variance must hold ${d} numbers ≥ 0`
  return undefined
}

/** The pooled mean and std of several hospitals' statistics (constant features get std 1). */
export function mergeFeatureStats(parts: readonly FeatureStats[]): TaskStandardization {
  const merged = mergeStandardizers(
    parts.map((p) => ({ count: p.count, mean: Float64Array.from(p.mean), variance: Float64Array.from(p.variance), std: Float64Array.from(p.variance, Math.sqrt) })),
  )
  return { mean: [...merged.mean], std: [...merged.std] }
}
