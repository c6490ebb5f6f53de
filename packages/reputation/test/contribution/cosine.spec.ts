import { describe, expect, it } from 'vitest'
import { cosineSimilarity, cosineToAggregate, lossUtility } from '../../src/index.js'

describe('cosineToAggregate', () => {
  it('compares each update with the mean (hand-computed)', () => {
    // mean of [1,0], [0,1], [1,1] is [2/3, 2/3]
    const values = cosineToAggregate({
      updates: [new Float32Array([1, 0]), new Float32Array([0, 1]), new Float32Array([1, 1])],
    })
    expect(values[0]).toBeCloseTo(Math.SQRT1_2, 6)
    expect(values[1]).toBeCloseTo(Math.SQRT1_2, 6)
    expect(values[2]).toBeCloseTo(1, 6)
  })

  it('uses the weights and an explicit aggregate', () => {
    const updates = [new Float32Array([1, 0]), new Float32Array([0, 1])]
    const weighted = cosineToAggregate({ updates, weights: [3, 1] })
    expect(weighted[0]).toBeCloseTo(3 / Math.sqrt(10), 6)
    expect(cosineToAggregate({ updates, aggregate: new Float32Array([-1, 0]) })).toEqual([-1, 0])
  })

  it('returns 0 for a zero vector and rejects mismatched lengths', () => {
    expect(cosineSimilarity(new Float32Array(3), new Float32Array([1, 2, 3]))).toBe(0)
    expect(() => cosineToAggregate({ updates: [new Float32Array(2), new Float32Array(3)] })).toThrow(/updates\[1\]: has length 3, expected 2/)
    expect(() => cosineToAggregate({ updates: [] })).toThrow(/updates: must contain at least one update/)
    expect(() => cosineToAggregate({ updates: [new Float32Array(2)], weights: [-1] })).toThrow(/weights\[0\]/)
  })
})

describe('lossUtility', () => {
  it('is minus the loss of the coalition mean (the zero update for ∅)', async () => {
    const target = new Float32Array([1, 1])
    const loss = (delta: Float32Array): number => (delta[0]! - target[0]!) ** 2 + (delta[1]! - target[1]!) ** 2
    const utility = lossUtility({ updates: [new Float32Array([1, 1]), new Float32Array([3, 1])], weights: [1, 1], loss })
    expect(await utility([])).toBe(-2)
    expect(await utility([0])).toBe(-0)
    expect(await utility([0, 1])).toBe(-1) // mean [2, 1]
  })
})
