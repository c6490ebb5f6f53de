import { describe, expect, it } from 'vitest'
import { AdaptiveClipper, GaussianNoise, InvalidArgumentError } from '../src/index.js'

type NormSampler = (noise: GaussianNoise) => number

const distributions: Record<string, NormSampler> = {
  'log-normal(ln 3, 0.5)': (noise) => 3 * Math.exp(0.5 * noise.standardNormal()),
  'half-normal(0.2)': (noise) => Math.abs(0.2 * noise.standardNormal()),
  'chi(50) · 0.1 (norm of a 50-d Gaussian)': (noise) => {
    let sum = 0
    for (let i = 0; i < 50; i++) sum += noise.standardNormal() ** 2
    return 0.1 * Math.sqrt(sum)
  },
}

function sample(sampler: NormSampler, noise: GaussianNoise, n: number): Float64Array {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = sampler(noise)
  return out
}

function quantile(values: Float64Array, gamma: number): number {
  const sorted = Float64Array.from(values).sort()
  return sorted[Math.floor(gamma * (sorted.length - 1))] as number
}

describe('AdaptiveClipper', () => {
  const batch = 256
  // From far above and far below; the start factor is bounded by how fast C can move toward the
  // quantile (at most η·γ per update upward, η·(1−γ) downward, in log scale).
  const cases: [number, number][] = [
    [0.5, 100],
    [0.5, 0.01],
    [0.9, 10],
    [0.9, 0.01],
    [0.2, 100],
    [0.2, 0.05],
  ]
  for (const [name, sampler] of Object.entries(distributions)) {
    for (const [gamma, startFactor] of cases) {
      it(`converges to the ${gamma}-quantile of ${name} from ${startFactor}× within 10 % after 200 updates`, () => {
        const data = GaussianNoise.seeded(`${name}/${gamma}/${startFactor}`)
        const truth = quantile(sample(sampler, data, 100_000), gamma)
        const clipper = new AdaptiveClipper({
          initialClip: truth * startFactor,
          targetQuantile: gamma,
          countNoiseStd: batch / 20,
          rng: GaussianNoise.seeded(`count/${name}/${gamma}`),
        })
        for (let step = 0; step < 200; step++) clipper.update(sample(sampler, data, batch))
        expect(Math.abs(clipper.clip / truth - 1)).toBeLessThan(0.1)
      })
    }
  }

  it('grows C when more examples are clipped than the target, and shrinks it otherwise', () => {
    const clipper = new AdaptiveClipper({ initialClip: 1, countNoiseStd: 0 })
    const grown = clipper.update(new Float64Array(100).fill(5)) // everything clipped: b̃ = 0 < γ
    expect(grown).toBeCloseTo(Math.exp(0.2 * 0.5), 12)
    const shrunk = clipper.update(new Float64Array(100).fill(0.01)) // nothing clipped: b̃ = 1 > γ
    expect(shrunk).toBeCloseTo(grown * Math.exp(-0.2 * 0.5), 12)
  })

  it('noises the count with σ_b / m', () => {
    // With all norms clipped, log(C'/C)/η = γ − noise/m: the spread of that is σ_b/m.
    const m = 100
    const countNoiseStd = 10
    const steps: number[] = []
    const rng = GaussianNoise.seeded('count-noise')
    for (let i = 0; i < 4000; i++) {
      const clipper = new AdaptiveClipper({ initialClip: 1, countNoiseStd, rng })
      steps.push(Math.log(clipper.update(new Float64Array(m).fill(2))) / 0.2)
    }
    const mean = steps.reduce((a, b) => a + b, 0) / steps.length
    const std = Math.sqrt(steps.reduce((a, b) => a + (b - mean) ** 2, 0) / steps.length)
    expect(mean).toBeCloseTo(0.5, 2)
    expect(Math.abs(std - countNoiseStd / m)).toBeLessThan(0.005)
  })

  it('honours expectedCount and the clip bounds', () => {
    const clipper = new AdaptiveClipper({ initialClip: 1, countNoiseStd: 0, minClip: 0.5, maxClip: 1.05 })
    expect(clipper.update([0.1, 0.2], { expectedCount: 4 })).toBe(1) // b̃ = 2/4 = γ: unchanged
    expect(clipper.update([9, 9, 9])).toBe(1.05)
    for (let i = 0; i < 100; i++) clipper.update([0])
    expect(clipper.clip).toBe(0.5)
  })

  it('pays for the count with z_Δ = (z⁻² − (2σ_b)⁻²)^(−1/2)', () => {
    const clipper = new AdaptiveClipper({ initialClip: 1, countNoiseStd: 12.8 })
    const z = 1.1
    const zDelta = clipper.gradientNoiseMultiplier(z)
    expect(zDelta).toBeGreaterThan(z)
    // Composing the two Gaussian mechanisms gives back z exactly.
    expect(1 / Math.sqrt(zDelta ** -2 + (2 * 12.8) ** -2)).toBeCloseTo(z, 12)
    expect(() => new AdaptiveClipper({ initialClip: 1, countNoiseStd: 0.5 }).gradientNoiseMultiplier(1.1)).toThrow(/countNoiseStd/)
    expect(() => clipper.gradientNoiseMultiplier(0)).toThrow(InvalidArgumentError)
  })

  it('round-trips its state', () => {
    const clipper = new AdaptiveClipper({ initialClip: 2, targetQuantile: 0.7, countNoiseStd: 3, rng: GaussianNoise.seeded(1) })
    clipper.update([1, 2, 3, 4])
    const restored = AdaptiveClipper.fromState(JSON.parse(JSON.stringify(clipper)))
    expect(restored.toJSON()).toEqual(clipper.toJSON())
  })

  it('rejects bad input with an error naming the argument', () => {
    expect(() => new AdaptiveClipper({ initialClip: -1, countNoiseStd: 1 })).toThrow(/initialClip/)
    expect(() => new AdaptiveClipper({ initialClip: 1, targetQuantile: 1, countNoiseStd: 1 })).toThrow(/targetQuantile/)
    expect(() => new AdaptiveClipper({ initialClip: 1, learningRate: 0, countNoiseStd: 1 })).toThrow(/learningRate/)
    expect(() => new AdaptiveClipper({ initialClip: 1, countNoiseStd: -1 })).toThrow(/countNoiseStd/)
    const clipper = new AdaptiveClipper({ initialClip: 1, countNoiseStd: 0 })
    expect(() => clipper.update([1, Number.NaN])).toThrow(/norms\[1\]/)
    expect(() => clipper.update([])).toThrow(/expectedCount/)
  })
})
