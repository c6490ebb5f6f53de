/** Float maths over flat parameter vectors, accumulated in float64 for stability. */
import { InvalidArgumentError } from '../errors.js'

/** A flat parameter update (delta of the global model). */
export type UpdateVector = Float32Array | Float64Array

export function checkUpdates(name: string, updates: readonly UpdateVector[]): number {
  if (updates.length === 0) throw new InvalidArgumentError(name, 'must contain at least one update')
  const length = updates[0]?.length ?? 0
  updates.forEach((u, i) => {
    if (u.length !== length) {
      throw new InvalidArgumentError(`${name}[${i}]`, `has length ${u.length}, expected ${length} like ${name}[0]`, 'All updates must be flat vectors of the same model.')
    }
  })
  return length
}

export function dot(a: UpdateVector, b: UpdateVector): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0)
  return s
}

/**
 * Weighted mean of `updates[members]` (weights default to 1); the zero vector when `members` is
 * empty, i.e. "no update": the previous global model.
 */
export function weightedMean(
  updates: readonly UpdateVector[],
  members: readonly number[],
  weights: readonly number[] | undefined,
  length: number,
): Float32Array {
  const acc = new Float64Array(length)
  let total = 0
  for (const m of members) {
    const u = updates[m]
    if (u === undefined) throw new InvalidArgumentError('members', `index ${m} is not an update`)
    const w = weights?.[m] ?? 1
    total += w
    for (let i = 0; i < length; i++) acc[i] = (acc[i] ?? 0) + w * (u[i] ?? 0)
  }
  const out = new Float32Array(length)
  if (total === 0) return out
  for (let i = 0; i < length; i++) out[i] = (acc[i] ?? 0) / total
  return out
}

export function checkWeights(weights: readonly number[] | undefined, count: number): void {
  if (weights === undefined) return
  if (weights.length !== count) {
    throw new InvalidArgumentError('weights', `has ${weights.length} entries for ${count} updates`)
  }
  weights.forEach((w, i) => {
    if (!Number.isFinite(w) || w < 0) {
      throw new InvalidArgumentError(`weights[${i}]`, `must be a finite number ≥ 0, got ${w}`, 'Use sample counts or 1 for an unweighted mean.')
    }
  })
}
