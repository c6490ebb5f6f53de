import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, WAD, powWad, toWad, wadDiv, wadMul, wadToNumber } from '../src/index.js'

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

describe('powWad', () => {
  it('is 1.0 for n = 0 and the base for n = 1', () => {
    expect(powWad(123n, 0n)).toBe(WAD)
    expect(powWad(9n * 10n ** 17n, 1n)).toBe(9n * 10n ** 17n)
  })

  it('follows the binary-exponentiation rounding of the spec', () => {
    // 0.9^3: result = 0.9 (bit 0), base = 0.81, result = 0.9·0.81 = 0.729 — exact in WAD.
    expect(powWad(9n * 10n ** 17n, 3n)).toBe(729n * 10n ** 15n)
    // 1/3 is not exact: floor after each product, in the spec's order.
    const third = WAD / 3n
    const sq = wadMul(third, third)
    expect(powWad(third, 2n)).toBe(wadMul(WAD, sq))
    expect(powWad(third, 3n)).toBe(wadMul(wadMul(WAD, third), sq))
  })

  it('matches repeated multiplication to within rounding and tends to 0', () => {
    const decay = 999n * 10n ** 15n
    expect(wadToNumber(powWad(decay, 1000n))).toBeCloseTo(0.999 ** 1000, 12)
    expect(powWad(9n * 10n ** 17n, 1000n)).toBe(0n)
    expect(powWad(WAD, 10n ** 18n)).toBe(WAD)
  })

  it('rejects a negative exponent', () => {
    expect(() => powWad(WAD, -1n)).toThrow(InvalidArgumentError)
  })
})

describe('toWad / wadToNumber', () => {
  it('converts decimals exactly', () => {
    expect(toWad(0.9)).toBe(9n * 10n ** 17n)
    expect(toWad('2')).toBe(2n * WAD)
    expect(toWad(1e-18)).toBe(1n)
    expect(toWad('1.5e3')).toBe(1500n * WAD)
    expect(toWad(-0.25)).toBe(-WAD / 4n)
    expect(toWad('0.1234567890123456789')).toBe(123456789012345678n)
  })

  it('rejects non-finite input', () => {
    expect(() => toWad(Number.NaN)).toThrow(/value: not a finite decimal number/)
    expect(() => toWad(Number.POSITIVE_INFINITY)).toThrow(InvalidArgumentError)
  })

  it('round-trips to floats', () => {
    expect(wadToNumber(WAD / 4n)).toBe(0.25)
    expect(wadToNumber(10n ** 30n + WAD / 2n)).toBeCloseTo(1e12 + 0.5, 3)
  })
})
