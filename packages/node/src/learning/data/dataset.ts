/** A labelled table held in memory: `features` is row-major `size × numFeatures`. */
export interface Dataset {
  readonly features: Float32Array
  /** Class index per row, in [0, numClasses). */
  readonly labels: Int32Array
  readonly numFeatures: number
  readonly numClasses: number
}

/** Number of rows. */
export function datasetSize(dataset: Dataset): number {
  return dataset.labels.length
}

/** The rows at `indices`, in that order. */
export function selectRows(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  const d = dataset.numFeatures
  const features = new Float32Array(indices.length * d)
  const labels = new Int32Array(indices.length)
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number
    features.set(dataset.features.subarray(i * d, (i + 1) * d), k * d)
    labels[k] = dataset.labels[i] as number
  }
  return { features, labels, numFeatures: d, numClasses: dataset.numClasses }
}

/** All rows of several datasets with the same columns, one after the other. */
export function concatDatasets(parts: readonly Dataset[]): Dataset {
  const first = parts[0]
  if (first === undefined) throw new RangeError('concatDatasets needs at least one dataset')
  const size = parts.reduce((n, p) => n + p.labels.length, 0)
  const features = new Float32Array(size * first.numFeatures)
  const labels = new Int32Array(size)
  let offset = 0
  for (const p of parts) {
    features.set(p.features, offset * first.numFeatures)
    labels.set(p.labels, offset)
    offset += p.labels.length
  }
  return { features, labels, numFeatures: first.numFeatures, numClasses: first.numClasses }
}

/** Row count per class. */
export function classCounts(dataset: Dataset): number[] {
  const counts = new Array<number>(dataset.numClasses).fill(0)
  for (const y of dataset.labels) counts[y] = (counts[y] ?? 0) + 1
  return counts
}
