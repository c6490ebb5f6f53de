import { describe, expect, it } from 'vitest'
import { loadCsv, parseCsv } from '../../src/learning/data/csv.js'
import { classCounts, datasetSize } from '../../src/learning/data/dataset.js'
import { partitionIndices, parsePartitionScheme } from '../../src/learning/data/partition.js'
import { parseDatasetSchema, type DatasetSchema } from '../../src/learning/data/schema.js'
import { stratifiedSplit } from '../../src/learning/data/split.js'
import { applyStandardizer, fitStandardizer, mergeStandardizers } from '../../src/learning/data/standardize.js'
import { DatasetError, LearningError } from '../../src/learning/errors.js'
import { SeededRandom } from '../../src/learning/random.js'
import { loadDatasetSource } from '../../src/simulate/examples.js'

const schema: DatasetSchema = parseDatasetSchema({
  version: 1,
  name: 'toy',
  task: 'binary-classification',
  features: ['a', 'b'],
  label: { column: 'y', classes: ['0', '1'] },
})

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError)
    return (error as DatasetError).code
  }
  return undefined
}

describe('CSV loader', () => {
  it('reads features in schema order, ignores extra columns and accepts 1.0 as label 1', () => {
    const d = parseCsv({ text: 'b,extra,y,a\n2,x,1.0,1\n4,y,0,3\n', schema })
    expect(Array.from(d.features)).toEqual([1, 2, 3, 4])
    expect(Array.from(d.labels)).toEqual([1, 0])
  })

  it.each([
    ['', 'DATA_FILE_EMPTY'],
    ['a,b,y\n', 'DATA_FILE_EMPTY'],
    ['a,y\n1,0\n', 'DATA_COLUMN_MISSING'],
    ['a,b,y\n1,abc,0\n', 'DATA_CELL_NOT_NUMERIC'],
    ['a,b,y\n1,0x10,0\n', 'DATA_CELL_NOT_NUMERIC'],
    ['a,b,y\n1,Infinity,0\n', 'DATA_CELL_NOT_NUMERIC'],
    ['a,b,y\n1,"1,000",0\n', 'DATA_CELL_NOT_NUMERIC'],
    ['a,b,y\n1,12 mg,0\n', 'DATA_CELL_NOT_NUMERIC'],
    ['a,b,y\n1,NaN,0\n', 'DATA_CELL_NAN'],
    ['a,b,y\n1,,0\n', 'DATA_CELL_NAN'],
    ['a,b,y\n1,2,2\n', 'DATA_LABEL_UNKNOWN'],
    ['a,b,y\n1,2\n', 'DATA_ROW_LENGTH'],
  ])('rejects %j with %s', (text, code) => {
    expect(codeOf(() => parseCsv({ text, schema, source: 'toy.csv' }))).toBe(code)
  })

  it('reads the decimal forms exports use', () => {
    const d = parseCsv({ text: 'a,b,y\n-0.5,.25,0\n+3,1.5e-3,1\n7.,2E2,1\n', schema })
    expect(Array.from(d.features)).toEqual([-0.5, 0.25, 3, 1.5e-3, 7, 200].map(Math.fround))
  })

  it('names the line, column and fix in the message', () => {
    expect(() => parseCsv({ text: 'a,b,y\n1,2,0\n1,oops,0\n', schema, source: 'toy.csv' })).toThrowErrorMatchingInlineSnapshot(`
      [DatasetError: toy.csv line 3 column b is not a number ('oops')
      feature columns must hold decimal numbers such as 12, -0.5 or 1.2e-5 (no hex, units or thousands separators)]
    `)
    expect(() => parseCsv({ text: 'a,y\n1,0\n', schema, source: 'toy.csv' })).toThrow('toy.csv lacks column b')
  })

  it('reports an unreadable file as a typed error', async () => {
    await expect(loadCsv('/nonexistent/file.csv', schema)).rejects.toMatchObject({ code: 'DATA_FILE_EMPTY' })
  })

  it('rejects invalid schemas', () => {
    expect(() => parseDatasetSchema({ ...schema, task: 'regression' })).toThrow(/task must be/)
    expect(() => parseDatasetSchema({ ...schema, label: { column: 'y', classes: ['0'] } })).toThrow(/at least two/)
    expect(() => parseDatasetSchema({ ...schema, features: ['a', 'y'] })).toThrow(/also a feature/)
  })

  it('loads both bundled examples', async () => {
    const wdbc = await loadDatasetSource({ example: 'breast-cancer' })
    expect(datasetSize(wdbc.dataset)).toBe(569)
    expect(classCounts(wdbc.dataset)).toEqual([357, 212])
    const digits = await loadDatasetSource({ example: 'digits' })
    expect(datasetSize(digits.dataset)).toBe(1797)
    expect(digits.schema.image).toEqual({ height: 8, width: 8, channels: 1 })
  })
})

describe('splits, standardization and partitioners', () => {
  const random = new SeededRandom(5)
  const n = 400
  const dataset = {
    features: Float32Array.from({ length: n * 2 }, () => 3 + 2 * random.normal()),
    labels: Int32Array.from({ length: n }, (_, i) => i % 4),
    numFeatures: 2,
    numClasses: 4,
  }

  it('stratified split keeps class proportions and covers every row once', () => {
    const s = stratifiedSplit({ dataset, random: new SeededRandom(1) })
    expect(classCounts(s.test)).toEqual([20, 20, 20, 20])
    expect(classCounts(s.validation)).toEqual([10, 10, 10, 10])
    expect(datasetSize(s.train) + datasetSize(s.validation) + datasetSize(s.test)).toBe(n)
  })

  it('standardizes with training statistics, and merged statistics equal pooled ones', () => {
    const scaler = fitStandardizer(dataset)
    const z = applyStandardizer(dataset, scaler)
    const mean = z.features.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0) / n
    expect(Math.abs(mean)).toBeLessThan(1e-5)
    const halves = [0, 1].map((h) => fitStandardizer({ ...dataset, features: dataset.features.subarray(h * n, (h + 1) * n), labels: dataset.labels.subarray(h * 200, (h + 1) * 200) }))
    const merged = mergeStandardizers(halves)
    for (let j = 0; j < 2; j++) {
      expect(merged.mean[j]).toBeCloseTo(scaler.mean[j] as number, 9)
      expect(merged.std[j]).toBeCloseTo(scaler.std[j] as number, 9)
    }
  })

  it('partitions are seeded, disjoint and complete', () => {
    for (const scheme of [parsePartitionScheme('iid'), parsePartitionScheme('dirichlet:0.3'), parsePartitionScheme('quantity:1')]) {
      const a = partitionIndices({ dataset, parties: 5, scheme, random: new SeededRandom(8) })
      const b = partitionIndices({ dataset, parties: 5, scheme, random: new SeededRandom(8) })
      expect(a).toEqual(b)
      const all = a.flat().sort((x, y) => x - y)
      expect(all).toEqual(Array.from({ length: n }, (_, i) => i))
      expect(a.every((p) => p.length >= 10)).toBe(true)
    }
  })

  it('Dirichlet(0.1) skews labels far more than IID', () => {
    const skew = (alpha: string) => {
      const parts = partitionIndices({ dataset, parties: 4, scheme: parsePartitionScheme(alpha), random: new SeededRandom(2) })
      // mean share of each party's most common class
      return parts.reduce((s, p) => s + Math.max(...[0, 1, 2, 3].map((c) => p.filter((i) => dataset.labels[i] === c).length)) / p.length, 0) / 4
    }
    expect(skew('dirichlet:0.1')).toBeGreaterThan(0.6)
    expect(skew('iid')).toBeLessThan(0.4)
  })

  it('rejects a malformed partition scheme', () => {
    expect(() => parsePartitionScheme('dirichlet:-1')).toThrow(LearningError)
    expect(() => parsePartitionScheme('zipf')).toThrow(/iid, dirichlet/)
  })
})
