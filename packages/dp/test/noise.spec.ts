import { describe, expect, it } from 'vitest'
import { erfc } from '../src/analysis/special.js'
import { addGaussianNoise, clipAndAddNoise, clipFactor, clipInPlace, GaussianNoise, InvalidArgumentError } from '../src/index.js'

const normalCdf = (x: number): number => 0.5 * erfc(-x / Math.SQRT2)

/** Kolmogorov–Smirnov distance between the sample and N(0, 1). */
function ksDistance(sample: Float64Array): number {
  const sorted = Float64Array.from(sample).sort()
  const n = sorted.length
  let d = 0
  for (let i = 0; i < n; i++) {
    const cdf = normalCdf(sorted[i] as number)
    d = Math.max(d, Math.abs(cdf - i / n), Math.abs((i + 1) / n - cdf))
  }
  return d
}

function moments(sample: Float64Array): { mean: number; variance: number; kurtosis: number } {
  let mean = 0
  for (const x of sample) mean += x
  mean /= sample.length
  let m2 = 0
  let m4 = 0
  for (const x of sample) {
    const d = (x - mean) ** 2
    m2 += d
    m4 += d * d
  }
  m2 /= sample.length
  m4 /= sample.length
  return { mean, variance: m2, kurtosis: m4 / (m2 * m2) }
}

describe('GaussianNoise', () => {
  it('is CSPRNG-backed by default and seeded on request', () => {
    expect(new GaussianNoise().kind).toBe('csprng')
    expect(GaussianNoise.crypto().kind).toBe('csprng')
    expect(new GaussianNoise({ seed: 1 }).kind).toBe('seeded')
    expect(GaussianNoise.seeded('run-7').kind).toBe('seeded')
  })

  it('produces N(0, 1) samples (moments and Kolmogorov–Smirnov on 200 000 seeded draws)', () => {
    const sample = GaussianNoise.seeded(2024).fill(new Float64Array(200_000))
    const { mean, variance, kurtosis } = moments(sample)
    expect(Math.abs(mean)).toBeLessThan(0.01) // 4.5 standard errors
    expect(Math.abs(variance - 1)).toBeLessThan(0.015)
    expect(Math.abs(kurtosis - 3)).toBeLessThan(0.05)
    // Critical value at the 0.1 % level: 1.95/√n ≈ 0.0044.
    expect(ksDistance(sample)).toBeLessThan(0.0044)
  })

  it('has the right mass in the tail drawn by the Ziggurat tail algorithm (|x| > r = 3.6542) and near it', () => {
    const sample = GaussianNoise.seeded(99).fill(new Float64Array(1_000_000))
    for (const threshold of [3.6541528853610088, 3, 2]) {
      let tail = 0
      for (const x of sample) if (Math.abs(x) > threshold) tail++
      const expected = 2 * normalCdf(-threshold) * sample.length
      expect(Math.abs(tail - expected), `|x| > ${threshold}`).toBeLessThan(5 * Math.sqrt(expected))
    }
  })

  it('has the right mass in the narrow top layers next to 0', () => {
    const sample = GaussianNoise.seeded(98).fill(new Float64Array(1_000_000))
    let tail = 0
    for (const x of sample) if (Math.abs(x) < 0.2152418959132738) tail++
    const expected = (1 - 2 * normalCdf(-0.2152418959132738)) * sample.length
    expect(Math.abs(tail - expected)).toBeLessThan(5 * Math.sqrt(expected))
  })

  it('produces N(0, 1) from the CSPRNG too', () => {
    const sample = new GaussianNoise().fill(new Float64Array(100_000))
    const { mean, variance } = moments(sample)
    expect(Math.abs(mean)).toBeLessThan(0.02)
    expect(Math.abs(variance - 1)).toBeLessThan(0.03)
  })

  it('single draws follow the same distribution as bulk draws', () => {
    const noise = GaussianNoise.seeded(5)
    const sample = new Float64Array(50_000)
    for (let i = 0; i < sample.length; i++) sample[i] = noise.standardNormal()
    expect(ksDistance(sample)).toBeLessThan(1.95 / Math.sqrt(sample.length))
  })

  it('is reproducible for a seed', () => {
    const a = GaussianNoise.seeded(7).fill(new Float32Array(1000))
    const b = GaussianNoise.seeded(7).fill(new Float32Array(1000))
    expect(Array.from(a)).toEqual(Array.from(b))
  })

  it('adds noise with the requested standard deviation in place', () => {
    const vector = new Float32Array(100_000).fill(5)
    const returned = addGaussianNoise(vector, 0.5, GaussianNoise.seeded(11))
    expect(returned).toBe(vector)
    const { mean, variance } = moments(Float64Array.from(vector))
    expect(Math.abs(mean - 5)).toBeLessThan(0.01)
    expect(Math.abs(Math.sqrt(variance) - 0.5)).toBeLessThan(0.005)
  })

  it('leaves the vector unchanged for std = 0 and rejects a bad std', () => {
    const vector = new Float64Array([1, 2, 3])
    addGaussianNoise(vector, 0)
    expect(Array.from(vector)).toEqual([1, 2, 3])
    expect(() => addGaussianNoise(vector, -1)).toThrow(InvalidArgumentError)
    expect(() => addGaussianNoise(vector, Number.NaN)).toThrow(/std/)
  })
})

describe('clipAndAddNoise', () => {
  it('equals clipInPlace followed by addGaussianNoise with the same stream', () => {
    const a = GaussianNoise.seeded(3).fill(new Float32Array(70_000), 0.02)
    const b = Float32Array.from(a)
    const factor = clipAndAddNoise(a, { maxNorm: 1, std: 0.1, source: GaussianNoise.seeded(4) })
    expect(factor).toBeLessThan(1)
    expect(clipInPlace(b, 1)).toBeCloseTo(factor, 15)
    addGaussianNoise(b, 0.1, GaussianNoise.seeded(4))
    for (let i = 0; i < a.length; i += 997) expect(a[i]).toBeCloseTo(b[i] as number, 6)
  })

  it('leaves a vector within the bound unscaled and rejects a bad scale', () => {
    const v = new Float64Array([0.1, 0.2])
    expect(clipAndAddNoise(v, { maxNorm: 1, std: 0, source: GaussianNoise.seeded(1) })).toBe(1)
    expect(Array.from(v)).toEqual([0.1, 0.2])
    expect(() => GaussianNoise.seeded(1).addTo(v, 1, Number.NaN)).toThrow(/scale/)
    expect(clipFactor(new Float32Array([3, 4]), 1)).toBeCloseTo(0.2, 7)
  })
})
