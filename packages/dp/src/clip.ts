import { InvalidArgumentError } from './errors.js'

/** Euclidean norm of a vector, accumulated in float64. */
export function l2Norm(v: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number
    sum += x * x
  }
  return Math.sqrt(sum)
}

/**
 * Scales `v` in place so that its L2 norm is at most `maxNorm`.
 * @returns the factor applied (1 when the vector was already within the bound)
 * @throws {InvalidArgumentError} when `maxNorm` is not a positive finite number or `v` holds NaN
 */
export function clipInPlace(v: Float32Array | Float64Array, maxNorm: number): number {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) {
    throw new InvalidArgumentError('maxNorm', `must be a positive finite number, got ${maxNorm}`)
  }
  const norm = l2Norm(v)
  if (Number.isNaN(norm)) throw new InvalidArgumentError('v', 'contains NaN')
  if (norm <= maxNorm) return 1
  const factor = maxNorm / norm
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * factor
  return factor
}
