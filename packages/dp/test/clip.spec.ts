import { describe, expect, it } from 'vitest'
import { clipInPlace, InvalidArgumentError, l2Norm } from '../src/index.js'

describe('clipInPlace', () => {
  it('scales a vector above the bound onto it', () => {
    const v = new Float32Array([3, 4])
    expect(clipInPlace(v, 1)).toBeCloseTo(0.2)
    expect(l2Norm(v)).toBeCloseTo(1, 6)
  })

  it('leaves a vector within the bound untouched', () => {
    const v = new Float64Array([0.3, 0.4])
    expect(clipInPlace(v, 1)).toBe(1)
    expect(Array.from(v)).toEqual([0.3, 0.4])
  })

  it('names the argument it rejects', () => {
    expect(() => clipInPlace(new Float32Array(1), -1)).toThrow(InvalidArgumentError)
    expect(() => clipInPlace(new Float32Array([Number.NaN]), 1)).toThrow(/v: contains NaN/)
  })

  it('is importable through the package name (self-reference)', async () => {
    const dp = await import('@fedchain/dp')
    expect(typeof dp.l2Norm).toBe('function')
  })
})
