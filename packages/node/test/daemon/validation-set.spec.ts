import { describe, expect, it } from 'vitest'
import type { TaskValidationSet } from '../../src/config/task-manifest.js'
import { TaskIncompatibleError, ValidationSetHashMismatchError, ValidationSetUnavailableError } from '../../src/daemon/errors.js'
import { checkValidationCsv, loadValidationSet, parseValidationSet, validationStandardization } from '../../src/daemon/validation-set.js'
import type { DatasetSchema } from '../../src/learning/index.js'
import { sha256Hex } from '../../src/protocol/participant.js'
import { cidForBytes, createMemoryBlobStore, type BlobStore } from '../../src/storage/index.js'

const schema: DatasetSchema = { version: 1, name: 't', task: 'binary-classification', features: ['a', 'b'], label: { column: 'y', classes: ['0', '1'] } }
const csv = new TextEncoder().encode('y,b,a,extra\n0,10,1,x\n1,20,2,x\n1,30,3,x\n0,40,4,x\n')
const reference = async (bytes: Uint8Array): Promise<TaskValidationSet> => ({ cid: (await cidForBytes(bytes)).toString(), sha256: sha256Hex(bytes) })

describe('validation set', () => {
  it('is parsed like a hospital CSV and standardized with its own statistics only', () => {
    const set = parseValidationSet({ bytes: csv, schema, source: 'v.csv' })
    expect(Array.from(set.labels)).toEqual([0, 1, 1, 0])
    // Columns in schema order, each with mean 0 and population std 1 over the validation rows.
    const column = (j: number) => Array.from({ length: 4 }, (_, i) => set.features[i * 2 + j] as number)
    for (const j of [0, 1]) {
      const values = column(j)
      expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 6)
      expect(values.reduce((s, v) => s + v * v, 0) / 4).toBeCloseTo(1, 6)
    }
    expect(column(0)).toEqual(column(1))
  })

  it("gives the task's default scaling (its own statistics), and is scaled with the task's scaling when the manifest sets one", () => {
    // a = 1..4, b = 10..40: means 2.5 and 25, population stds √1.25 and 10·√1.25.
    const stats = validationStandardization({ bytes: csv, schema, source: 'v.csv' })
    expect(stats.mean).toEqual([2.5, 25])
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(1.25), 12)
    expect(stats.std[1]).toBeCloseTo(10 * Math.sqrt(1.25), 12)
    const scaled = parseValidationSet({ bytes: csv, schema, source: 'v.csv', standardization: { mean: [1, 10], std: [1, 10] } })
    expect(Array.from(scaled.features)).toEqual([0, 0, 1, 1, 2, 2, 3, 3])
  })

  it('loads from the blob store into bit-identical rows on every node', async () => {
    const store = createMemoryBlobStore()
    await store.put(csv)
    const validation = await reference(csv)
    const a = await loadValidationSet({ taskId: 3n, store, validation, schema })
    const b = await loadValidationSet({ taskId: 3n, store, validation, schema })
    expect(Buffer.from(a.features.buffer).equals(Buffer.from(b.features.buffer))).toBe(true)
    expect(a).toEqual(parseValidationSet({ bytes: csv, schema, source: 'v.csv' }))
  })

  it('is unavailable while no peer delivers it (retried), and refused when the bytes do not match the manifest', async () => {
    const validation = await reference(csv)
    const empty = loadValidationSet({ taskId: 3n, store: createMemoryBlobStore(), validation, schema })
    await expect(empty).rejects.toBeInstanceOf(ValidationSetUnavailableError)
    await expect(empty).rejects.toMatchObject({ code: 'VALIDATION_SET_UNAVAILABLE', shortMessage: expect.stringMatching(new RegExp(`^task 3: cannot fetch its validation set ${validation.cid} \\(blob ${validation.cid} is not stored locally`)) })

    // A store that does not check what it serves.
    const lying = { get: async () => new TextEncoder().encode('y,a,b\n1,1,1\n') } as unknown as BlobStore
    const forged = loadValidationSet({ taskId: 3n, store: lying, validation, schema })
    await expect(forged).rejects.toBeInstanceOf(ValidationSetHashMismatchError)
    await expect(forged).rejects.toMatchObject({ code: 'VALIDATION_SET_HASH_MISMATCH', details: { expected: validation.sha256 } })
  })

  it('stops the task when the CSV the manifest pins does not follow the task schema (final)', async () => {
    const store = createMemoryBlobStore()
    const bad = new TextEncoder().encode('a,y\n1,0\n')
    await store.put(bad)
    const validation = await reference(bad)
    const error = await loadValidationSet({ taskId: 3n, store, validation, schema }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TaskIncompatibleError)
    expect(error).toMatchObject({ reason: 'manifest-invalid', shortMessage: `task 3: its validation set is unusable (validation set ${validation.cid} lacks column b)` })
  })

  it('refuses a --validation CSV that does not follow the schema, naming the flag', () => {
    expect(checkValidationCsv({ bytes: csv, schema, source: 'v.csv' })).toBe(4)
    expect(() => checkValidationCsv({ bytes: new TextEncoder().encode('a,b,y\n1,2,3\n'), schema, source: 'v.csv' })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_ARGUMENT_INVALID',
        shortMessage: "--validation does not match the task's schema: v.csv line 2 has label '3', which is not one of 0, 1",
        details: expect.objectContaining({ argument: 'validation', reason: 'DATA_LABEL_UNKNOWN' }),
        hint: "fix the row or add the value to label.classes in the schema; the --validation CSV must follow the task's schema, like every hospital's CSV",
      }),
    )
  })
})
