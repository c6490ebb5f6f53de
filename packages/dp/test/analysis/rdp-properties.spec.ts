import { describe, expect, it } from 'vitest'
import { computeRdp, GaussianNoise, RdpAccountant, rdpEpsilon, sampledGaussianRdp } from '../../src/index.js'

/** Seeded draws for randomized (but reproducible) property checks. */
const random = GaussianNoise.seeded('rdp-properties')
const uniform = (lo: number, hi: number): number => lo + (hi - lo) * (0.5 + 0.5 * Math.tanh(random.standardNormal()))
const logUniform = (lo: number, hi: number): number => Math.exp(uniform(Math.log(lo), Math.log(hi)))

describe('RDP properties on random parameters', () => {
  const cases = Array.from({ length: 40 }, () => ({
    sampleRate: logUniform(1e-5, 0.9),
    noiseMultiplier: uniform(0.5, 5),
    order: uniform(1.05, 60),
  }))

  it('subsampling never costs more than the full Gaussian mechanism: rdp(q) ≤ α/(2σ²)', () => {
    for (const c of cases) {
      const rdp = sampledGaussianRdp(c)
      expect(rdp, JSON.stringify(c)).toBeLessThanOrEqual((c.order / (2 * c.noiseMultiplier ** 2)) * (1 + 1e-12))
      expect(rdp).toBeGreaterThanOrEqual(0)
    }
  })

  it('rdp grows with q and with α, and shrinks with σ', () => {
    for (const c of cases) {
      const base = sampledGaussianRdp(c)
      expect(sampledGaussianRdp({ ...c, sampleRate: Math.min(1, c.sampleRate * 1.5) })).toBeGreaterThanOrEqual(base)
      expect(sampledGaussianRdp({ ...c, order: c.order + 0.5 })).toBeGreaterThanOrEqual(base)
      expect(sampledGaussianRdp({ ...c, noiseMultiplier: c.noiseMultiplier * 1.2 })).toBeLessThanOrEqual(base)
    }
  })

  it('composition is additive: the accountant over split runs equals one run', () => {
    for (const c of cases.slice(0, 10)) {
      const steps = 1 + Math.floor(uniform(1, 500))
      const split = new RdpAccountant()
      split.step({ ...c, steps: Math.floor(steps / 2) })
      split.step({ ...c, noiseMultiplier: c.noiseMultiplier * 1.0000001, steps: steps - Math.floor(steps / 2) })
      const whole = rdpEpsilon({ ...c, steps, delta: 1e-5 }).epsilon
      expect(Math.abs(split.getEpsilon(1e-5) - whole) / whole).toBeLessThan(1e-5)
      const rdp = computeRdp({ ...c, steps })
      expect(rdp.every((r) => r >= 0)).toBe(true)
    }
  })
})
