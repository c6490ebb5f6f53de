/**
 * The files `fedchain simulate --processes` hands its `fedchain node` children: the simulation's
 * datasets exist only in memory, while a daemon reads a CSV beside a schema, as a hospital would.
 */
import type { Dataset } from '../learning/data/dataset.js'
import type { DatasetSchema } from '../learning/data/schema.js'

/** A schema naming the simulation's (already standardized) columns `x1…xN` and the label `label`. */
export function schemaOf(dataset: Dataset): DatasetSchema {
  return {
    version: 1,
    name: 'fedchain-simulation',
    task: dataset.numClasses === 2 ? 'binary-classification' : 'multiclass-classification',
    features: Array.from({ length: dataset.numFeatures }, (_, i) => `x${i + 1}`),
    label: { column: 'label', classes: Array.from({ length: dataset.numClasses }, (_, i) => String(i)) },
  }
}

/** A hospital's training rows as CSV: one row per example, features then the class index. */
export function csvOf(dataset: Dataset, schema: DatasetSchema): string {
  const d = dataset.numFeatures
  const lines = [[...schema.features, schema.label.column].join(',')]
  for (let r = 0; r < dataset.labels.length; r++) {
    const row: string[] = []
    for (let j = 0; j < d; j++) row.push(String(dataset.features[r * d + j]))
    row.push(String(dataset.labels[r]))
    lines.push(row.join(','))
  }
  return `${lines.join('\n')}\n`
}
