import { describe, expect, it } from 'vitest'
import { erfc, lgamma, logAddExp, logBinomial, logErfc, logSubExp, logSumExp } from '../../src/analysis/special.js'

/** Relative distance, with an absolute floor for values near 0. */
function rel(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(1, Math.abs(expected))
}

/** Exact n! as a bigint. */
function factorial(n: number): bigint {
  let f = 1n
  for (let i = 2n; i <= BigInt(n); i++) f *= i
  return f
}

/** log of a positive bigint, exact to double precision (scales down before converting). */
function logBig(x: bigint): number {
  const bits = x.toString(2).length
  const shift = Math.max(0, bits - 60)
  return Math.log(Number(x >> BigInt(shift))) + shift * Math.LN2
}

function binomialBig(n: number, k: number): bigint {
  return factorial(n) / (factorial(k) * factorial(n - k))
}

describe('lgamma', () => {
  it('matches log n! computed exactly with bigints', () => {
    for (const n of [0, 1, 2, 3, 5, 10, 14, 15, 20, 63, 100, 170, 500]) {
      expect(rel(lgamma(n + 1), logBig(factorial(n)))).toBeLessThan(5e-15)
    }
  })

  it('matches 30-digit reference values (mpmath) at fractional and negative arguments', () => {
    // mpmath: log(abs(gamma(x))) with mp.dps = 30, rounded to the nearest double
    const reference: [number, number][] = [
      [0.001, 6.907178885383853],
      [0.5, 0.5723649429247001],
      [1.5, -0.12078223763524522],
      [2.5, 0.2846828704729192],
      [7.3, 7.147892523022248],
      [14.9, 24.924132002217277],
      [15.1, 25.458999750992664],
      [63.5, 198.9357649299295],
      [1000.5, 5908.674175848678],
      [-0.5, 1.2655121234846454],
      [-1.5, 0.860047015376481],
      [-2.5, -0.056243716497674054],
      [-10.3, -14.457515440024208],
    ]
    for (const [x, expected] of reference) expect(rel(lgamma(x), expected), `x=${x}`).toBeLessThan(5e-15)
  })

  it('has Γ(1/2) = √π and poles at the non-positive integers', () => {
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14)
    expect(lgamma(0)).toBe(Number.POSITIVE_INFINITY)
    expect(lgamma(-3)).toBe(Number.POSITIVE_INFINITY)
    expect(lgamma(Number.NaN)).toBeNaN()
  })

  it('satisfies the recurrence lgamma(x+1) = lgamma(x) + log x across the series switch', () => {
    for (const x of [0.3, 1.7, 9.99, 13.5, 14.5, 14.999, 15, 29.2]) {
      expect(Math.abs(lgamma(x + 1) - lgamma(x) - Math.log(x))).toBeLessThan(1e-13)
    }
  })
})

describe('logBinomial', () => {
  it('matches exact integer binomials', () => {
    for (const n of [1, 2, 7, 10, 31, 63, 100]) {
      for (let k = 0; k <= n; k += Math.max(1, Math.floor(n / 7))) {
        const { logAbs, sign } = logBinomial(n, k)
        expect(sign).toBe(1)
        expect(Math.abs(logAbs - logBig(binomialBig(n, k))), `C(${n},${k})`).toBeLessThan(1e-12)
      }
    }
  })

  it('is 0 (log −∞) for integer n and k > n', () => {
    expect(logBinomial(5, 6).logAbs).toBe(Number.NEGATIVE_INFINITY)
  })

  it('matches the product formula with its sign for fractional n', () => {
    for (const n of [0.5, 2.3, 6.7, 10.9]) {
      let product = 1
      for (let k = 0; k <= 40; k++) {
        if (k > 0) product *= (n - k + 1) / k
        const { logAbs, sign } = logBinomial(n, k)
        expect(sign, `sign C(${n},${k})`).toBe(Math.sign(product))
        expect(Math.abs(logAbs - Math.log(Math.abs(product))), `C(${n},${k})`).toBeLessThan(1e-12)
      }
    }
  })
})

describe('log-space arithmetic', () => {
  it('adds and subtracts without overflow', () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12)
    expect(logAddExp(Number.NEGATIVE_INFINITY, 3)).toBe(3)
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 15)
    expect(logSubExp(Math.log(5), Math.log(3))).toBeCloseTo(Math.log(2), 15)
    expect(logSubExp(2, 2)).toBe(Number.NEGATIVE_INFINITY)
    expect(logSubExp(2, Number.NEGATIVE_INFINITY)).toBe(2)
    expect(logSubExp(900, 1)).toBe(900)
    expect(() => logSubExp(1, 2)).toThrow(RangeError)
  })

  it('computes log-sum-exp of large and mixed values', () => {
    expect(logSumExp([1000, 1000, 1000])).toBeCloseTo(1000 + Math.log(3), 12)
    expect(logSumExp([-1000, 0])).toBeCloseTo(0, 15)
    expect(logSumExp([])).toBe(Number.NEGATIVE_INFINITY)
    const values = [0.1, -2, 3.5, 1]
    expect(logSumExp(values)).toBeCloseTo(Math.log(values.reduce((s, v) => s + Math.exp(v), 0)), 14)
  })
})

describe('logErfc', () => {
  // mpmath: log(erfc(x)) with mp.dps = 30, rounded to the nearest double
  const reference: [number, number][] = [
    [-3, 0.6931361352504468],
    [-0.5, 0.41903914777555956],
    [0, 0],
    [0.5, -0.7350111298370844],
    [1, -1.8496055099332482],
    [2, -5.364941264616638],
    [3, -10.720363041981113],
    [5, -27.200889545537436],
    [9.5, -93.07912219224849],
    [10, -102.87988902484489],
    [12, -147.06071417798702],
    [26, -679.8311997631943],
    [30, -903.9741171106439],
    [100, -10005.177585122665],
    [1e4, -100000009.78270532],
  ]

  it('matches 30-digit reference values from −3 to 10⁴ (where erfc underflows)', () => {
    for (const [x, expected] of reference) {
      const tolerance = 1e-14 * Math.max(1, Math.abs(expected))
      expect(Math.abs(logErfc(x) - expected), `x=${x}`).toBeLessThanOrEqual(tolerance)
    }
  })

  it('is continuous across the method switches at 2 and 10', () => {
    for (const edge of [2, 10]) {
      const below = logErfc(edge - 1e-12)
      const above = logErfc(edge)
      expect(Math.abs(below - above)).toBeLessThan(1e-10)
    }
  })

  it('is decreasing and handles the infinities', () => {
    let previous = logErfc(-6)
    for (let x = -6; x <= 40; x += 0.25) {
      const value = logErfc(x)
      expect(value).toBeLessThanOrEqual(previous)
      previous = value
    }
    expect(logErfc(Number.POSITIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY)
    expect(logErfc(Number.NEGATIVE_INFINITY)).toBe(Math.LN2)
    expect(erfc(0)).toBe(1)
    expect(erfc(-1) + erfc(1)).toBeCloseTo(2, 15)
  })
})
