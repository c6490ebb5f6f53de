import { describe, expect, it } from 'vitest'
import type { Dataset } from '../../src/learning/data/dataset.js'
import { partitionIndices, PartitionTooSmallError } from '../../src/learning/data/partition.js'
import { LearningError } from '../../src/learning/errors.js'
import { SeededRandom } from '../../src/learning/random.js'

function dataset(rows: number): Dataset {
  return { features: new Float32Array(rows), labels: Int32Array.from({ length: rows }, (_, i) => i % 2), numFeatures: 1, numClasses: 2 }
}

describe('partition errors', () => {
  it('says how many rows the parties need and how many the dataset has', () => {
    const error = (() => {
      try {
        partitionIndices({ dataset: dataset(3), parties: 5, scheme: { kind: 'iid' }, random: new SeededRandom(1) })
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(PartitionTooSmallError)
    expect(error).toBeInstanceOf(LearningError)
    expect(error).toMatchObject({ code: 'LEARNING_INVALID_ARGUMENT', parties: 5, rows: 3, minRows: 10, tooFewRows: true })
    expect((error as LearningError).shortMessage).toBe('5 parties need at least 50 rows (10 each); the dataset has 3')
    // Not "at most 0 parties".
    expect((error as LearningError).hint).toBe('no party fits, or a dataset of at least 50 rows')
  })

  it('names the largest number of parties that fits', () => {
    expect(() => partitionIndices({ dataset: dataset(40), parties: 5, scheme: { kind: 'iid' }, random: new SeededRandom(1) })).toThrow(
      expect.objectContaining({ hint: 'use at most 4 parties, or a dataset of at least 50 rows' }),
    )
  })

  it('is a typed error, not a RangeError, when skewed draws keep leaving a party short', () => {
    let error: unknown
    try {
      partitionIndices({ dataset: dataset(200), parties: 20, scheme: { kind: 'dirichlet', alpha: 0.001 }, random: new SeededRandom(1) })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(PartitionTooSmallError)
    expect(error).toMatchObject({ code: 'LEARNING_INVALID_ARGUMENT', tooFewRows: false, parties: 20, rows: 200 })
    expect((error as LearningError).hint).toContain('raise α')
  })
})
