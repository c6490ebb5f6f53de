import { requireArgument } from '../errors.js'
import type { SeededRandom } from '../random.js'
import { selectRows, type Dataset } from './dataset.js'

/** A dataset split three ways. */
export interface DatasetSplit {
  readonly train: Dataset
  readonly validation: Dataset
  readonly test: Dataset
}

export interface StratifiedSplitParameters {
  readonly dataset: Dataset
  /** @default 0.1 */
  readonly validationFraction?: number
  /** @default 0.2 */
  readonly testFraction?: number
  readonly random: SeededRandom
}

/**
 * Splits each class separately so every part keeps the class proportions (rounded per class;
 * a class with one row goes to train).
 */
export function stratifiedSplit({ dataset, validationFraction = 0.1, testFraction = 0.2, random }: StratifiedSplitParameters): DatasetSplit {
  requireArgument(validationFraction >= 0 && testFraction >= 0 && validationFraction + testFraction < 1, 'validationFraction + testFraction', 'in [0, 1)', validationFraction + testFraction)
  const byClass: number[][] = Array.from({ length: dataset.numClasses }, () => [])
  dataset.labels.forEach((y, i) => byClass[y]?.push(i))
  const train: number[] = []
  const validation: number[] = []
  const test: number[] = []
  for (const rows of byClass) {
    random.shuffle(rows)
    const nTest = rows.length > 1 ? Math.round(rows.length * testFraction) : 0
    const nValidation = rows.length > 2 ? Math.round(rows.length * validationFraction) : 0
    test.push(...rows.slice(0, nTest))
    validation.push(...rows.slice(nTest, nTest + nValidation))
    train.push(...rows.slice(nTest + nValidation))
  }
  const ordered = (rows: number[]) => rows.sort((a, b) => a - b)
  return {
    train: selectRows(dataset, ordered(train)),
    validation: selectRows(dataset, ordered(validation)),
    test: selectRows(dataset, ordered(test)),
  }
}
