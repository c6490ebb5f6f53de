import { describe, expect, it } from 'vitest'
import { featureStatsOf, featureStatsProblem, mergeFeatureStats } from '../../src/config/index.js'
import { concatDatasets, fitStandardizer, type Dataset, type DatasetSchema } from '../../src/learning/index.js'

const schema: DatasetSchema = { version: 1, name: 't', task: 'binary-classification', features: ['a', 'b', 'c'], label: { column: 'y', classes: ['0', '1'] } }
const rows = (values: number[][]): Dataset => ({ features: Float32Array.from(values.flat()), labels: Int32Array.from(values.map((_, i) => i % 2)), numFeatures: 3, numClasses: 2 })

describe('feature statistics (fedchain node stats)', () => {
  // Two label-skewed hospitals with different feature ranges; column c is constant everywhere.
  const first = rows([[1, 10, 5], [2, 12, 5], [3, 11, 5]])
  const second = rows([[10, 100, 5], [14, 90, 5], [12, 95, 5], [11, 99, 5], [13, 97, 5]])

  it("merge into the pooled mean and std, as if one party had fitted them on everyone's rows", () => {
    const merged = mergeFeatureStats([featureStatsOf(first, schema), featureStatsOf(second, schema)])
    const pooled = fitStandardizer(concatDatasets([first, second]))
    for (let j = 0; j < 3; j++) {
      expect(merged.mean[j]).toBeCloseTo(pooled.mean[j] as number, 9)
      expect(merged.std[j]).toBeCloseTo(pooled.std[j] as number, 9)
    }
    // A constant feature gets std 1, so the task's scaling never divides by zero.
    expect(merged.std[2]).toBe(1)
  })

  it('hold aggregates only: a count and one mean and one variance per feature', () => {
    const stats = featureStatsOf(first, schema)
    expect(Object.keys(stats).sort()).toEqual(['count', 'features', 'format', 'mean', 'variance'])
    expect(stats).toMatchObject({ format: 'fedchain-feature-stats', features: ['a', 'b', 'c'], count: 3, mean: [2, 11, 5] })
    expect(stats.variance[0]).toBeCloseTo(2 / 3, 6)
  })

  it('names what is wrong with statistics from elsewhere', () => {
    const good = featureStatsOf(first, schema)
    expect(featureStatsProblem(good, schema)).toBeUndefined()
    expect(featureStatsProblem({ mean: [0, 0, 0], std: [1, 1, 1] }, schema)).toBe('is not the output of `fedchain node stats` (format fedchain-feature-stats)')
    expect(featureStatsProblem({ ...good, features: ['a', 'c', 'b'] }, schema)).toBe("features differ from the task schema's")
    expect(featureStatsProblem({ ...good, count: 0 }, schema)).toBe('count must be a positive integer')
    expect(featureStatsProblem({ ...good, mean: [1, 2] }, schema)).toBe('mean must hold 3 finite numbers')
    expect(featureStatsProblem({ ...good, variance: [1, -1, 0] }, schema)).toBe('variance must hold 3 numbers ≥ 0')
  })
})
