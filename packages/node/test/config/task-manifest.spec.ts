import { describe, expect, it } from 'vitest'
import { cidOfSha256, decodeTaskManifest, encodeTaskManifest, schemaMismatch, taskManifestHash, type TaskManifest } from '../../src/config/index.js'
import type { DatasetSchema } from '../../src/learning/index.js'
import { cidForBytes } from '../../src/storage/index.js'

const schema: DatasetSchema = { version: 1, name: 't', task: 'binary-classification', features: ['a', 'b'], label: { column: 'y', classes: ['0', '1'] } }
const manifest: TaskManifest = {
  format: 'fedchain-task',
  version: 1,
  model: { kind: 'logistic-regression', inputs: 2, classes: 2 },
  schema,
  training: { epochs: 1, batchSize: 8, learningRate: 0.1, clipNorm: 1 },
}

describe('task manifest', () => {
  it('round-trips and is found by the CID derived from its on-chain sha256', async () => {
    const bytes = encodeTaskManifest(manifest)
    expect(decodeTaskManifest(bytes)).toEqual(manifest)
    expect(cidOfSha256(taskManifestHash(bytes))).toBe((await cidForBytes(bytes)).toString())
  })

  it('rejects bytes that are not a manifest', () => {
    expect(() => decodeTaskManifest(new TextEncoder().encode('{"format":"other"}'))).toThrow(expect.objectContaining({ code: 'TASK_MANIFEST_INVALID' }))
    expect(() => decodeTaskManifest(new TextEncoder().encode('not json'))).toThrow(expect.objectContaining({ code: 'TASK_MANIFEST_INVALID' }))
    const bad = { ...manifest, training: { ...manifest.training, epochs: 0 } }
    expect(() => decodeTaskManifest(encodeTaskManifest(bad))).toThrow(expect.objectContaining({ code: 'TASK_MANIFEST_INVALID' }))
    expect(() => decodeTaskManifest(encodeTaskManifest({ ...manifest, auditorKey: '0x1234' }))).toThrow(expect.objectContaining({ code: 'TASK_MANIFEST_INVALID' }))
  })

  it('carries an optional validation set whose CID and sha256 must name the same blob', async () => {
    const csv = new TextEncoder().encode('a,b,y\n1,2,0\n')
    const sha256 = taskManifestHash(csv)
    const cid = (await cidForBytes(csv)).toString()
    const withSet = { ...manifest, validation: { cid, sha256: sha256.toUpperCase().replace('0X', '0x') } }
    expect(decodeTaskManifest(encodeTaskManifest(withSet))).toEqual({ ...manifest, validation: { cid, sha256 } })
    expect(decodeTaskManifest(encodeTaskManifest(manifest)).validation).toBeUndefined()

    const decode = (validation: unknown) => () => decodeTaskManifest(new TextEncoder().encode(JSON.stringify({ ...manifest, validation })))
    const invalid = (shortMessage: string) => expect.objectContaining({ code: 'TASK_MANIFEST_INVALID', shortMessage })
    expect(decode('bafy')).toThrow(invalid('task manifest: validation must be an object with cid and sha256'))
    expect(decode({ cid })).toThrow(invalid('task manifest: validation.sha256 must be a 32-byte 0x-hex sha256'))
    expect(decode({ cid, sha256: sha256.slice(0, 40) })).toThrow(invalid('task manifest: validation.sha256 must be a 32-byte 0x-hex sha256'))
    expect(decode({ cid: 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG', sha256 })).toThrow(invalid('task manifest: validation.cid "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG" is not a blob CID: CID version 0, expected 1'))
    expect(decode({ cid: 'not a cid', sha256 })).toThrow(expect.objectContaining({ code: 'TASK_MANIFEST_INVALID' }))
    const other = taskManifestHash(new TextEncoder().encode('a,b,y\n3,4,1\n'))
    expect(decode({ cid, sha256: other })).toThrow(invalid('task manifest: validation.cid and validation.sha256 name different blobs'))
  })

  it('carries an optional feature scaling with one mean and one positive std per feature', () => {
    const standardization = { mean: [1.5, -2], std: [0.5, 3] }
    expect(decodeTaskManifest(encodeTaskManifest({ ...manifest, standardization })).standardization).toEqual(standardization)
    const decode = (value: unknown) => () => decodeTaskManifest(new TextEncoder().encode(JSON.stringify({ ...manifest, standardization: value })))
    const invalid = (shortMessage: string) => expect.objectContaining({ code: 'TASK_MANIFEST_INVALID', shortMessage })
    expect(decode({ mean: [0], std: [1, 1] })).toThrow(invalid('task manifest: standardization.mean must hold one number per feature (2)'))
    expect(decode({ mean: [0, 0] })).toThrow(invalid('task manifest: standardization.std must hold one number per feature (2)'))
    expect(decode({ mean: [0, 0], std: [1, 0] })).toThrow(invalid('task manifest: standardization.std must hold positive numbers'))
    expect(decode({ mean: [0, '1'], std: [1, 1] })).toThrow(invalid('task manifest: standardization.mean must hold finite numbers'))
    expect(decode('z-score')).toThrow(invalid('task manifest: standardization.mean must hold one number per feature (2)'))
  })

  it('names the first schema difference', () => {
    expect(schemaMismatch(schema, schema)).toBeUndefined()
    expect(schemaMismatch(schema, { ...schema, features: ['b', 'a'] })).toContain('features')
    expect(schemaMismatch(schema, { ...schema, label: { column: 'z', classes: ['0', '1'] } })).toContain('label column')
    expect(schemaMismatch(schema, { ...schema, label: { column: 'y', classes: ['1', '0'] } })).toContain('classes')
  })
})
