import { describe, expect, it } from 'vitest'
import { WAD, wadDiv, wadMul } from '../src/index.js'

describe('fixed point', () => {
  it('multiplies and divides with floor rounding like uint256', () => {
    expect(wadMul(WAD / 2n, WAD / 2n)).toBe(WAD / 4n)
    expect(wadMul(1n, 1n)).toBe(0n)
    expect(wadDiv(1n, 3n)).toBe(333333333333333333n)
  })

  it('refuses division by zero', () => {
    expect(() => wadDiv(1n, 0n)).toThrow(RangeError)
  })
})
