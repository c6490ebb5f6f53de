import { readFile } from 'node:fs/promises'
import { noiseMultiplierFor } from '@fedchain/dp'
import type { Signer } from 'ethers'
import { describe, expect, it } from 'vitest'
import { decodeTaskManifest } from '../../src/config/task-manifest.js'
import { PrivacyTargetUnreachableError } from '../../src/daemon/errors.js'
import { createTask, epsilonFloor } from '../../src/daemon/task-admin.js'
import { validationStandardization } from '../../src/daemon/validation-set.js'
import { parseDatasetSchema } from '../../src/learning/index.js'
import { sha256Hex } from '../../src/protocol/participant.js'
import { cidForBytes, createMemoryBlobStore, type BlobStore } from '../../src/storage/index.js'

const EXAMPLE = new URL('../../../../examples/breast-cancer/', import.meta.url)

/** A store and a signer that fail when used: the checks must come before anything is stored or sent. */
const untouched = {
  signer: {} as Signer,
  store: {
    put: () => Promise.reject(new Error('the store was used')),
    get: () => Promise.reject(new Error('the store was used')),
    has: () => Promise.reject(new Error('the store was used')),
  } as unknown as BlobStore,
}

describe('createTask (fedchain task create) with a DP budget', () => {
  const task = async (dp: { epsilon: number; delta: number }) => {
    const schema = parseDatasetSchema(JSON.parse(await readFile(new URL('schema.json', EXAMPLE), 'utf8')))
    return createTask({ ...untouched, aggregator: '0x5FbDB2315678afecb367f032d93F642f64180aa3', model: { kind: 'logistic-regression', inputs: 30, classes: 2 }, schema, rounds: 5, dp })
  }

  it('refuses an ε that no amount of noise reaches, whatever the data, before storing or sending anything', async () => {
    const error = await task({ epsilon: 0.01, delta: 1e-5 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PrivacyTargetUnreachableError)
    expect(error).toMatchObject({
      code: 'DP_TARGET_UNREACHABLE',
      shortMessage: 'a DP budget of ε = 0.01 is unreachable at δ = 0.00001: no amount of noise brings ε below 0.1029, whatever the data',
      hint: 'pass a --dp-epsilon above 0.1029 (or a larger --dp-delta); the budget covers all the task’s rounds',
    })
  })

  it('refuses a δ outside (0, 1) that the chain can hold', async () => {
    await expect(task({ epsilon: 1, delta: 2 })).rejects.toMatchObject({ code: 'CONFIG_ARGUMENT_INVALID', shortMessage: "--dp-delta must be between 1e-9 and 1 (the chain keeps nine decimals), got '2'" })
    await expect(task({ epsilon: 1, delta: 1e-12 })).rejects.toMatchObject({ code: 'CONFIG_ARGUMENT_INVALID' })
  })

  it('lets a reachable ε through to the store', async () => {
    await expect(task({ epsilon: 1, delta: 1e-5 })).rejects.toThrow('the store was used')
  })

  it('puts the floor where the accountant gives up, for any sampling rate and number of steps', () => {
    const floor = epsilonFloor(1e-5)
    expect(floor).toBeCloseTo(0.1029, 4)
    for (const [sampleRate, steps] of [[0.01, 10], [0.17, 12], [1, 500]] as const) {
      expect(() => noiseMultiplierFor({ targetEpsilon: floor * 0.999, delta: 1e-5, sampleRate, steps })).toThrow(/is unreachable/)
      expect(noiseMultiplierFor({ targetEpsilon: floor + 0.01, delta: 1e-5, sampleRate, steps })).toBeGreaterThan(0)
    }
  })
})

describe('createTask (fedchain task create) with a validation set', () => {
  const task = async (csv: Uint8Array, store: BlobStore = untouched.store) => {
    const schema = parseDatasetSchema(JSON.parse(await readFile(new URL('schema.json', EXAMPLE), 'utf8')))
    return createTask({ ...untouched, store, aggregator: '0x5FbDB2315678afecb367f032d93F642f64180aa3', model: { kind: 'logistic-regression', inputs: 30, classes: 2 }, schema, rounds: 5, validation: { csv, source: 'v.csv' } })
  }

  it('refuses --standardization validation without a validation CSV, before storing or sending anything', async () => {
    const schema = parseDatasetSchema(JSON.parse(await readFile(new URL('schema.json', EXAMPLE), 'utf8')))
    await expect(
      createTask({ ...untouched, aggregator: '0x5FbDB2315678afecb367f032d93F642f64180aa3', model: { kind: 'logistic-regression', inputs: 30, classes: 2 }, schema, rounds: 5, standardization: 'validation' }),
    ).rejects.toMatchObject({ code: 'CONFIG_ARGUMENT_INVALID', details: expect.objectContaining({ argument: 'standardization' }) })
  })

  it('refuses a CSV that does not follow the schema before storing or sending anything', async () => {
    await expect(task(new TextEncoder().encode('mean_radius,malignant\n1,0\n'))).rejects.toMatchObject({ code: 'CONFIG_ARGUMENT_INVALID', details: expect.objectContaining({ argument: 'validation', reason: 'DATA_COLUMN_MISSING' }) })
  })

  it('stores the CSV beside the manifest, which records its CID and sha256', async () => {
    const csv = await readFile(new URL('data/wdbc.csv', EXAMPLE))
    const store = createMemoryBlobStore()
    const stored: Uint8Array[] = []
    const recording: BlobStore = {
      ...store,
      put: async (bytes) => {
        stored.push(bytes)
        return store.put(bytes)
      },
    }
    // The signer cannot send: the task stops at the chain, once the blobs are stored.
    await expect(task(csv, recording)).rejects.toThrow()
    const [, validationBlob, manifestBytes] = stored
    expect(Buffer.from(validationBlob as Uint8Array).equals(csv)).toBe(true)
    const manifest = decodeTaskManifest(manifestBytes as Uint8Array)
    expect(manifest.validation).toEqual({ cid: (await cidForBytes(csv)).toString(), sha256: sha256Hex(csv) })
    // By default every node scales its rows with the validation set's statistics.
    expect(manifest.standardization).toEqual(validationStandardization({ bytes: csv, schema: manifest.schema, source: 'v.csv' }))
    expect(manifest.standardization?.mean).toHaveLength(30)
  })
})
