import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  computeRdp,
  DEFAULT_RDP_ORDERS,
  InvalidArgumentError,
  noiseMultiplierFor,
  privacySpent,
  rdpEpsilon,
  sampledGaussianRdp,
} from '../../src/index.js'

interface RdpVector {
  sampleRate: number
  noiseMultiplier: number
  order: number
  rdp: number
}
interface EpsilonVector {
  noiseMultiplier: number
  sampleRate: number
  steps: number
  delta: number
  epsilon: number
  order: number
}
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/rdp-vectors.json', import.meta.url), 'utf8')) as {
  vectors: RdpVector[]
  epsilonVectors: EpsilonVector[]
}

/** The classic conversion ε = min rdp(α) − log δ/(α−1) used by TF-privacy's tutorials. */
function classicEpsilon(rdp: Float64Array, orders: readonly number[], delta: number): number {
  let best = Number.POSITIVE_INFINITY
  orders.forEach((alpha, k) => {
    best = Math.min(best, (rdp[k] as number) - Math.log(delta) / (alpha - 1))
  })
  return best
}

/** Exact n choose k as a bigint. */
function binomial(n: number, k: number): bigint {
  let result = 1n
  for (let i = 1; i <= k; i++) result = (result * BigInt(n - k + i)) / BigInt(i)
  return result
}

/**
 * Integer-order RDP from its definition, independently of the implementation's log-space series:
 * A_α = Σ C(α,i)·q^i·(1−q)^(α−i)·exp((i²−i)/(2σ²)) with exact bigint binomials, every term
 * positive, summed after factoring out the largest exponent.
 */
function integerOrderRdp(q: number, sigma: number, alpha: number): number {
  const logTerms: number[] = []
  for (let i = 0; i <= alpha; i++) {
    const c = binomial(alpha, i)
    const bits = c.toString(2).length
    const shift = Math.max(0, bits - 60)
    const logC = Math.log(Number(c >> BigInt(shift))) + shift * Math.LN2
    logTerms.push(logC + i * Math.log(q) + (alpha - i) * Math.log1p(-q) + (i * i - i) / (2 * sigma * sigma))
  }
  const max = Math.max(...logTerms)
  const sum = logTerms.reduce((s, t) => s + Math.exp(t - max), 0)
  return (Math.log(sum) + max) / (alpha - 1)
}

describe('DEFAULT_RDP_ORDERS', () => {
  it('is 1.1…10.9 (step 0.1) then 12…63, as Opacus', () => {
    expect(DEFAULT_RDP_ORDERS).toHaveLength(99 + 52)
    expect(DEFAULT_RDP_ORDERS[0]).toBe(1.1)
    expect(DEFAULT_RDP_ORDERS[98]).toBe(10.9)
    expect(DEFAULT_RDP_ORDERS[99]).toBe(12)
    expect(DEFAULT_RDP_ORDERS.at(-1)).toBe(63)
    // 1 + 10/10 … 1 + 90/10 are exact integers and take the integer-order path.
    expect(DEFAULT_RDP_ORDERS.filter((a) => Number.isInteger(a))).toHaveLength(9 + 52)
  })
})

describe('sampledGaussianRdp', () => {
  it('reduces to α/(2σ²) when q = 1', () => {
    for (const sigma of [0.3, 1, 1.1, 4.530877117]) {
      for (const order of [1.1, 2, 2.5, 10.9, 32, 63, 256.1]) {
        expect(sampledGaussianRdp({ sampleRate: 1, noiseMultiplier: sigma, order })).toBe(order / (2 * sigma * sigma))
      }
    }
  })

  it('matches an exact binomial summation at integer orders', () => {
    for (const q of [1e-6, 1e-3, 256 / 60000, 0.04, 0.3, 0.9]) {
      for (const sigma of [0.6, 1, 1.5, 4]) {
        for (const order of [2, 3, 7, 10, 12, 31, 63]) {
          const expected = integerOrderRdp(q, sigma, order)
          const actual = sampledGaussianRdp({ sampleRate: q, noiseMultiplier: sigma, order })
          // Relative 1e-11, or 1e-14 absolute in log A_α where A_α is within rounding of 1.
          const tolerance = Math.max(1e-11 * expected, 1e-14 / (order - 1))
          expect(Math.abs(actual - expected), `q=${q} σ=${sigma} α=${order}`).toBeLessThanOrEqual(tolerance)
        }
      }
    }
  })

  it('matches 40-digit numerical integration of A_α (integer and fractional orders, tiny to large q)', () => {
    expect(fixtures.vectors.length).toBeGreaterThan(30)
    for (const v of fixtures.vectors) {
      const actual = sampledGaussianRdp(v)
      // Double precision bounds log A_α to ~1e-14 absolute (the fractional series alternates),
      // which dominates when A_α is within 1e-9 of 1 (tiny q or α near 1) — in Opacus as well.
      const tolerance = Math.max(1e-9 * v.rdp, 1e-13 / (v.order - 1))
      expect(Math.abs(actual - v.rdp), `q=${v.sampleRate} σ=${v.noiseMultiplier} α=${v.order}`).toBeLessThanOrEqual(tolerance)
    }
  })

  it('reproduces the TF-privacy rdp_accountant_test reference values', () => {
    // tensorflow_privacy/privacy/analysis/rdp_accountant_test.py: test_compute_rdp_sequence, _scalar
    const rdp = computeRdp({ sampleRate: 0.01, noiseMultiplier: 2.5, steps: 50, orders: [1.5, 2.5, 5, 50, 100] })
    const expected = [0.00065, 0.001085, 0.00218075, 0.023846, 167.416307]
    expected.forEach((e, k) => expect(Math.abs((rdp[k] as number) - e)).toBeLessThan(1e-5))
    expect(computeRdp({ sampleRate: 0.1, noiseMultiplier: 2, steps: 10, orders: [5] })[0]).toBeCloseTo(0.07737, 5)
  })

  it('is infinite without noise and at α = ∞', () => {
    expect(sampledGaussianRdp({ sampleRate: 0.1, noiseMultiplier: 0, order: 2 })).toBe(Number.POSITIVE_INFINITY)
    expect(sampledGaussianRdp({ sampleRate: 0.1, noiseMultiplier: 1, order: Number.POSITIVE_INFINITY })).toBe(Number.POSITIVE_INFINITY)
  })
})

describe('rdpEpsilon', () => {
  it("reproduces Opacus's RDPAccountant test (σ = 1.5, q = 0.04, 2250 steps, δ = 1e-5 → 7.32911117143)", () => {
    // opacus/tests/accountants_test.py::test_rdp_accountant (improved conversion, default orders)
    const { epsilon } = rdpEpsilon({ noiseMultiplier: 1.5, sampleRate: 0.04, steps: 2250, delta: 1e-5 })
    expect(Math.abs(epsilon - 7.32911117143) / 7.32911117143).toBeLessThan(1e-10)
  })

  it('reproduces the Opacus rdp module doctest (heterogeneous steps, orders 2…32 → ε 0.336 at α = 23)', () => {
    const orders = Array.from({ length: 31 }, (_, k) => k + 2)
    const rdp = new Float64Array(orders.length)
    for (const [q, sigma, steps] of [
      [1e-5, 1.0, 10],
      [1e-4, 3.0, 4],
    ] as const) {
      computeRdp({ sampleRate: q, noiseMultiplier: sigma, steps, orders }).forEach((r, k) => (rdp[k] = (rdp[k] as number) + r))
    }
    const { epsilon, order } = privacySpent({ orders, rdp, delta: 1e-5 })
    expect(epsilon).toBeCloseTo(0.336, 3)
    expect(order).toBe(23)
  })

  it('reproduces the TF-privacy MNIST tutorial figure (ε = 3.01) with the classic conversion, and is tighter with the improved one', () => {
    // tutorials/README.md: N = 60000, batch 256, σ = 1.1, 60 epochs, δ = 1e-5 → "eps = 3.01";
    // compute_dp_sgd_privacy uses steps = ceil(60·60000/256) and ε = rdp − log δ/(α−1).
    const steps = Math.ceil((60 * 60000) / 256)
    const rdp = computeRdp({ sampleRate: 256 / 60000, noiseMultiplier: 1.1, steps })
    expect(classicEpsilon(rdp, DEFAULT_RDP_ORDERS, 1e-5)).toBeCloseTo(3.01, 2)
    const improved = rdpEpsilon({ noiseMultiplier: 1.1, sampleRate: 256 / 60000, steps, delta: 1e-5 })
    expect(improved.epsilon).toBeLessThan(3.01)
    expect(improved.epsilon).toBeCloseTo(2.597, 3)
  })

  it('matches whole-grid ε (improved conversion) from 40-digit reference RDP values', () => {
    expect(fixtures.epsilonVectors.length).toBeGreaterThan(0)
    for (const v of fixtures.epsilonVectors) {
      const { epsilon, order } = rdpEpsilon(v)
      expect(Math.abs(epsilon - v.epsilon) / v.epsilon).toBeLessThan(1e-9)
      expect(order).toBe(v.order)
    }
  })

  it('applies the improved conversion exactly for q = 1', () => {
    const sigma = 2
    const delta = 1e-6
    const { epsilon, order } = rdpEpsilon({ noiseMultiplier: sigma, sampleRate: 1, steps: 1, delta, orders: [5.5] })
    const expected = order / (2 * sigma * sigma) + Math.log((order - 1) / order) - (Math.log(delta) + Math.log(order)) / (order - 1)
    expect(epsilon).toBe(expected)
  })

  it('is small but positive for a tiny sampling rate', () => {
    const tiny = rdpEpsilon({ noiseMultiplier: 1, sampleRate: 1e-7, steps: 1000, delta: 1e-5 })
    const larger = rdpEpsilon({ noiseMultiplier: 1, sampleRate: 1e-5, steps: 1000, delta: 1e-5 })
    expect(tiny.epsilon).toBeGreaterThan(0)
    expect(tiny.epsilon).toBeLessThan(larger.epsilon)
  })

  it('decreases with σ and increases with steps', () => {
    const base = { sampleRate: 0.01, delta: 1e-5 }
    let previous = Number.POSITIVE_INFINITY
    for (const sigma of [0.5, 0.7, 0.9, 1.1, 1.5, 2, 4, 8]) {
      const { epsilon } = rdpEpsilon({ ...base, noiseMultiplier: sigma, steps: 1000 })
      expect(epsilon).toBeLessThan(previous)
      previous = epsilon
    }
    previous = 0
    for (const steps of [1, 10, 100, 1000, 10_000]) {
      const { epsilon } = rdpEpsilon({ ...base, noiseMultiplier: 1, steps })
      expect(epsilon).toBeGreaterThan(previous)
      previous = epsilon
    }
  })

  it('is infinite without noise', () => {
    expect(rdpEpsilon({ noiseMultiplier: 0, sampleRate: 0.5, steps: 1, delta: 1e-5 }).epsilon).toBe(Number.POSITIVE_INFINITY)
  })

  it('rejects bad input with an error naming the argument', () => {
    const ok = { noiseMultiplier: 1, sampleRate: 0.01, steps: 10, delta: 1e-5 }
    const cases: [Partial<typeof ok> & { orders?: number[] }, string][] = [
      [{ noiseMultiplier: -1 }, 'noiseMultiplier'],
      [{ noiseMultiplier: Number.NaN }, 'noiseMultiplier'],
      [{ sampleRate: 0 }, 'sampleRate'],
      [{ sampleRate: 1.5 }, 'sampleRate'],
      [{ sampleRate: Number.NaN }, 'sampleRate'],
      [{ delta: 0 }, 'delta'],
      [{ delta: 1 }, 'delta'],
      [{ steps: 1.5 }, 'steps'],
      [{ steps: -1 }, 'steps'],
      [{ orders: [2, 1] }, 'orders[1]'],
      [{ orders: [] }, 'orders'],
    ]
    for (const [override, argument] of cases) {
      try {
        rdpEpsilon({ ...ok, ...override })
        expect.unreachable(`expected ${argument} to be rejected`)
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidArgumentError)
        expect((error as InvalidArgumentError).argument).toBe(argument)
        expect((error as InvalidArgumentError).code).toBe('DP_INVALID_ARGUMENT')
      }
    }
  })
})

describe('noiseMultiplierFor', () => {
  it("returns Opacus's get_noise_multiplier values (accountants_test.py)", () => {
    expect(noiseMultiplierFor({ targetEpsilon: 8, delta: 1e-5, sampleRate: 0.04, steps: 2250 })).toBeCloseTo(1.416, 4)
    expect(noiseMultiplierFor({ targetEpsilon: 8, delta: 1e-5, sampleRate: 0.04, steps: 2000 })).toBeCloseTo(1.3562, 4)
  })

  it('round-trips: ε(σ) is at most the target and within the tolerance of it', () => {
    for (const [targetEpsilon, sampleRate, steps, delta] of [
      [1, 0.01, 1000, 1e-5],
      [3, 256 / 60000, 14063, 1e-5],
      [8, 0.1, 500, 1e-6],
      [0.5, 0.001, 10_000, 1e-5],
    ] as const) {
      const sigma = noiseMultiplierFor({ targetEpsilon, delta, sampleRate, steps })
      const { epsilon } = rdpEpsilon({ noiseMultiplier: sigma, sampleRate, steps, delta })
      expect(epsilon).toBeLessThanOrEqual(targetEpsilon)
      expect(targetEpsilon - epsilon).toBeLessThanOrEqual(0.01)
      // Smallest: a slightly smaller σ overshoots (the bisection's lower end).
      expect(rdpEpsilon({ noiseMultiplier: sigma * 0.97, sampleRate, steps, delta }).epsilon).toBeGreaterThan(epsilon)
    }
  })

  it('honours a finer tolerance', () => {
    const sigma = noiseMultiplierFor({ targetEpsilon: 2, delta: 1e-5, sampleRate: 0.02, steps: 500, epsilonTolerance: 1e-4 })
    const { epsilon } = rdpEpsilon({ noiseMultiplier: sigma, sampleRate: 0.02, steps: 500, delta: 1e-5 })
    expect(epsilon).toBeLessThanOrEqual(2)
    expect(2 - epsilon).toBeLessThanOrEqual(1e-4)
  })

  it('refuses an unreachable or invalid target', () => {
    expect(() => noiseMultiplierFor({ targetEpsilon: 1e-9, delta: 1e-12, sampleRate: 1, steps: 1000 })).toThrow(/targetEpsilon/)
    expect(() => noiseMultiplierFor({ targetEpsilon: -1, delta: 1e-5, sampleRate: 0.1, steps: 10 })).toThrow(InvalidArgumentError)
  })
})
