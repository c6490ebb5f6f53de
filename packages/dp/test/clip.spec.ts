import { describe, expect, it } from 'vitest'
import { clipEachLayerInPlace, clipInPlace, clipLayersInPlace, InvalidArgumentError, jointL2Norm, l2Norm, layerNorms, perLayerSensitivity } from '../src/index.js'

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

describe('per-layer clipping', () => {
  it('computes per-layer and joint norms', () => {
    const layers = [new Float32Array([3, 4]), new Float64Array([0, 12])]
    expect(Array.from(layerNorms(layers))).toEqual([5, 12])
    expect(jointL2Norm(layers)).toBe(13)
  })

  it('clips layers by their joint norm, preserving their direction', () => {
    const layers = [new Float32Array([3, 4]), new Float64Array([0, 12])]
    expect(clipLayersInPlace(layers, 1.3)).toBeCloseTo(0.1, 12)
    expect(jointL2Norm(layers)).toBeCloseTo(1.3, 6)
    expect(layers[1]?.[1]).toBeCloseTo(1.2, 12)
    expect(clipLayersInPlace(layers, 10)).toBe(1)
  })

  it('matches flat clipping of the concatenated vector', () => {
    const a = new Float64Array([0.5, -2, 7, 1])
    const b = new Float64Array([3, 3])
    const flat = new Float64Array([...a, ...b])
    const factor = clipLayersInPlace([a, b], 2)
    expect(clipInPlace(flat, 2)).toBeCloseTo(factor, 14)
    ;[...a, ...b].forEach((x, i) => expect(x).toBeCloseTo(flat[i] as number, 14))
  })

  it('clips each layer to its own bound', () => {
    const layers = [new Float32Array([3, 4]), new Float32Array([0.3, 0.4]), new Float32Array([6, 8])]
    const factors = clipEachLayerInPlace(layers, [1, 1, 5])
    expect(Array.from(factors)).toEqual([0.2, 1, 0.5])
    expect(Array.from(layerNorms(layers)).map((n) => Math.round(n * 1e6) / 1e6)).toEqual([1, 0.5, 5])
    expect(perLayerSensitivity([1, 1, 5])).toBeCloseTo(Math.sqrt(27), 14)
    expect(Array.from(clipEachLayerInPlace([new Float64Array([2])], 1))).toEqual([0.5])
  })

  it('names the argument it rejects', () => {
    expect(() => clipEachLayerInPlace([new Float32Array(1)], [1, 2])).toThrow(/maxNorms/)
    expect(() => clipEachLayerInPlace([new Float32Array(1), new Float32Array(1)], [1, 0])).toThrow(/maxNorms\[1\]/)
    expect(() => clipEachLayerInPlace([new Float32Array(1), new Float32Array([Number.NaN])], 1)).toThrow(/layers\[1\]: contains NaN/)
    expect(() => clipLayersInPlace([new Float32Array([Number.POSITIVE_INFINITY])], 1)).toThrow(/layers: contains an infinite/)
    expect(() => clipInPlace(new Float32Array([Number.NEGATIVE_INFINITY]), 1)).toThrow(InvalidArgumentError)
  })
})
