import { readFile } from 'node:fs/promises'
import { invalidArgument } from '../../config/errors.js'
import { featureStatsProblem, mergeFeatureStats, type FeatureStats } from '../../config/feature-stats.js'
import { standardizationProblem, type TaskStandardization } from '../../config/task-manifest.js'
import type { DatasetSchema } from '../../learning/data/schema.js'

const STANDARDIZATION_HINT =
  'e.g. --standardization validation (with --validation), local, one JSON file {"mean": […], "std": […]} with one entry per schema feature, or every hospital\'s `fedchain node stats` file (the flag repeated)'

/**
 * `--standardization` (repeatable): `validation` (needs `--validation`), `local`, one JSON file
 * holding the per-feature `mean` and `std` the consortium agreed on, or every hospital's
 * `fedchain node stats` file, merged into the pooled mean and std.
 */
export async function parseStandardization(values: readonly string[], schema: DatasetSchema, hasValidation: boolean): Promise<'validation' | 'local' | TaskStandardization | undefined> {
  const [first] = values
  if (first === undefined) return undefined
  if (first === 'local' || first === 'validation') {
    if (values.length > 1) throw invalidArgument('standardization', `${first} stands alone; got ${values.join(', ')}`, STANDARDIZATION_HINT)
    if (first === 'validation' && !hasValidation) throw invalidArgument('standardization', 'validation needs a --validation CSV to fit the statistics on', 'add --validation <csv>, or use --standardization local')
    return first
  }
  const files = await Promise.all(values.map((path) => readStatisticsFile(path)))
  const [only] = files
  if (files.length === 1 && only !== undefined && (only.value as { format?: unknown }).format === undefined) {
    const problem = standardizationProblem(only.value, schema.features.length)
    if (problem !== undefined) throw invalidArgument('standardization', `${only.path}: ${problem}`, STANDARDIZATION_HINT)
    const { mean, std } = only.value as TaskStandardization
    return { mean, std }
  }
  return mergeFeatureStats(
    files.map(({ path, value }) => {
      const problem = featureStatsProblem(value, schema)
      if (problem !== undefined) throw invalidArgument('standardization', `${path} ${problem}`, STANDARDIZATION_HINT)
      return value as FeatureStats
    }),
  )
}

async function readStatisticsFile(path: string): Promise<{ path: string; value: unknown }> {
  const text = await readFile(path, 'utf8').catch((cause: unknown) => {
    throw invalidArgument('standardization', `must be validation, local or JSON files; cannot read ${path} (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, STANDARDIZATION_HINT)
  })
  try {
    return { path, value: JSON.parse(text) as unknown }
  } catch {
    throw invalidArgument('standardization', `${path} is not JSON`, STANDARDIZATION_HINT)
  }
}
