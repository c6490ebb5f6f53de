import { AggregationError } from './errors.js'
import type { ClientUpdate } from './types.js'

/**
 * Pure aggregation maths over flat vectors. Everything accumulates in float64 and iterates in
 * the order given, so callers that sort first (by participant id) get bit-identical results.
 */

/** Updates sorted by id (UTF-16 code unit order), after checking they are well-formed. */
export function sortedUpdates(updates: readonly ClientUpdate[], size: number): ClientUpdate[] {
  const seen = new Set<string>()
  for (const u of updates) {
    if (seen.has(u.id)) throw new AggregationError(`participant ${u.id} sent two updates`, { hint: 'deduplicate updates by id' })
    seen.add(u.id)
    if (u.delta.length !== size) {
      throw new AggregationError(`update from ${u.id} has ${u.delta.length} values, the model has ${size}`, { hint: 'the update belongs to another model' })
    }
    if (!(u.examples >= 0) || !Number.isFinite(u.examples)) {
      throw new AggregationError(`update from ${u.id} claims ${u.examples} examples`, { hint: 'examples must be a non-negative number' })
    }
  }
  return [...updates].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** Σ wᵢ·vᵢ / Σ wᵢ; all-zero weights give the zero vector. */
export function weightedMean(vectors: readonly Float32Array[], weights: readonly number[], size: number): Float64Array {
  const out = new Float64Array(size)
  let total = 0
  vectors.forEach((v, k) => {
    const w = weights[k] as number
    if (w === 0) return
    total += w
    for (let i = 0; i < size; i++) out[i] = (out[i] as number) + w * (v[i] as number)
  })
  if (total > 0) for (let i = 0; i < size; i++) out[i] = (out[i] as number) / total
  return out
}

/** Per-coordinate median (mean of the two middle values for an even count). */
export function coordinateMedian(vectors: readonly Float32Array[], size: number): Float64Array {
  return coordinateTrimmedMean(vectors, size, Math.floor((vectors.length - 1) / 2))
}

/** Per-coordinate mean after dropping the `trim` smallest and `trim` largest values. */
export function coordinateTrimmedMean(vectors: readonly Float32Array[], size: number, trim: number): Float64Array {
  const n = vectors.length
  if (n === 0) return new Float64Array(size)
  if (!(Number.isInteger(trim) && trim >= 0 && 2 * trim < n)) {
    throw new AggregationError(`cannot trim ${trim} from each side of ${n} updates`, { hint: 'lower the trim fraction or add participants' })
  }
  const out = new Float64Array(size)
  const column = new Float64Array(n)
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < n; k++) column[k] = (vectors[k] as Float32Array)[i] as number
    column.sort()
    let sum = 0
    for (let k = trim; k < n - trim; k++) sum += column[k] as number
    out[i] = sum / (n - 2 * trim)
  }
  return out
}

/** ‖v‖₂ in float64. */
export function l2(v: ArrayLike<number>): number {
  let sq = 0
  for (let i = 0; i < v.length; i++) sq += (v[i] as number) * (v[i] as number)
  return Math.sqrt(sq)
}

/** Cosine similarity; 0 when either vector is zero. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number
    const y = b[i] as number
    dot += x * y
    na += x * x
    nb += y * y
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb)
}

/** Symmetric matrix of squared L2 distances. */
export function pairwiseSquaredDistances(vectors: readonly Float32Array[]): Float64Array[] {
  const n = vectors.length
  const d = Array.from({ length: n }, () => new Float64Array(n))
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const va = vectors[a] as Float32Array
      const vb = vectors[b] as Float32Array
      let sq = 0
      for (let i = 0; i < va.length; i++) {
        const diff = (va[i] as number) - (vb[i] as number)
        sq += diff * diff
      }
      ;(d[a] as Float64Array)[b] = sq
      ;(d[b] as Float64Array)[a] = sq
    }
  }
  return d
}

/**
 * Krum scores (Blanchard et al. 2017): for each vector the sum of squared distances to its
 * n − f − 2 nearest neighbours. Lower is more central.
 */
export function krumScores(vectors: readonly Float32Array[], byzantine: number): number[] {
  const n = vectors.length
  const neighbours = n - byzantine - 2
  if (!(Number.isInteger(byzantine) && byzantine >= 0) || neighbours < 1) {
    throw new AggregationError(`Krum needs n ≥ f + 3; got n = ${n}, f = ${byzantine}`, { hint: 'lower the assumed number of Byzantine participants' })
  }
  const distances = pairwiseSquaredDistances(vectors)
  return distances.map((row, i) => {
    const others = Array.from(row).filter((_, j) => j !== i).sort((a, b) => a - b)
    let score = 0
    for (let k = 0; k < neighbours; k++) score += others[k] as number
    return score
  })
}

/** Indices of the `m` lowest Krum scores (ties broken by index), ascending by index. */
export function multiKrumSelection(vectors: readonly Float32Array[], byzantine: number, m: number): number[] {
  const scores = krumScores(vectors, byzantine)
  return scores
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s - b.s || a.i - b.i)
    .slice(0, m)
    .map((e) => e.i)
    .sort((a, b) => a - b)
}

/** global + step, rounded once to float32. */
export function applyStep(global: Float32Array, step: Float64Array, scale = 1): Float32Array {
  const out = new Float32Array(global.length)
  for (let i = 0; i < global.length; i++) out[i] = (global[i] as number) + scale * (step[i] as number)
  return out
}
