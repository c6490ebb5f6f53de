import { describe, expect, it } from 'vitest'
import { qualityBpsFromScores } from '../../src/index.js'

describe('qualityBpsFromScores', () => {
  it('scales to the best participant by default', () => {
    expect(qualityBpsFromScores([0.02, 0.01, -0.005])).toEqual([10_000, 5000, 0])
  })

  it('supports proportional and unit scales', () => {
    expect(qualityBpsFromScores([1, 1, 2], { scale: 'sum' })).toEqual([2500, 2500, 5000])
    expect(qualityBpsFromScores([0.9, 0.3, -0.4, 1.2], { scale: 'unit' })).toEqual([9000, 3000, 0, 10_000])
  })

  it('gives 0 to everybody when nobody helped, and rejects NaN', () => {
    expect(qualityBpsFromScores([-1, 0])).toEqual([0, 0])
    expect(qualityBpsFromScores([])).toEqual([])
    expect(() => qualityBpsFromScores([1, Number.NaN])).toThrow(/scores\[1\]: must be finite/)
  })

  it('always returns uint16 basis points in [0, 10000]', () => {
    for (const scale of ['max', 'sum', 'unit'] as const) {
      for (const bps of qualityBpsFromScores([1e-300, 5, 1e300, 0.3333333333333333], { scale })) {
        expect(Number.isInteger(bps) && bps >= 0 && bps <= 10_000).toBe(true)
      }
    }
  })
})
