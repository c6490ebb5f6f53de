import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModelJson } from '../../src/audit/export-model.js'
import { deserializeParams } from '../../src/learning/model/serialize.js'
import { sha256Hex } from '../../src/protocol/participant.js'
import { blobFiles, copyRun, decoded, flipByte, readRecord, rewriteLog, simulateRun, writeRecord } from '../audit/run-fixture.js'
import { fedchain, lastJson } from './run-cli.js'

let run: string
const dirs: string[] = []

beforeAll(async () => {
  run = await simulateRun()
}, 120_000)

afterAll(async () => {
  await Promise.all([run, ...dirs].map((d) => rm(d, { recursive: true, force: true })))
})

async function roundModelHash(dir: string, round: number): Promise<string> {
  const record = await readRecord(dir)
  return (record.logs.map(decoded).find((e) => e?.name === 'RoundFinalized' && Number(e.args['round']) === round)?.args['modelSha256'] as string).toLowerCase()
}

describe('fedchain export', () => {
  it('writes the final model, whose sha256 is the on-chain hash', async () => {
    const dir = await copyRun(run)
    dirs.push(dir)
    const out = join(dir, 'final.bin')
    const { stdout, error } = await fedchain('export', '--run', dir, '--out', out, '--json')
    expect(error).toBeUndefined()
    const written = lastJson<{ round: number; modelSha256: string }>(stdout)
    expect(written.round).toBe(2)
    const bytes = new Uint8Array(await readFile(out))
    expect(sha256Hex(bytes)).toBe(await roundModelHash(dir, 2))
    expect(written.modelSha256).toBe(sha256Hex(bytes))
  })

  it('writes a chosen round as JSON with the header and parameters that round-trip to the blob', async () => {
    const dir = await copyRun(run)
    dirs.push(dir)
    const bin = join(dir, 'r1.bin')
    const json = join(dir, 'r1.json')
    expect((await fedchain('export', '--run', dir, '--round', '1', '--out', bin)).error).toBeUndefined()
    expect((await fedchain('export', '--run', dir, '--round', '1', '--format', 'json', '--out', json)).error).toBeUndefined()
    const model = JSON.parse(await readFile(json, 'utf8')) as ModelJson
    const { header, params } = deserializeParams(new Uint8Array(await readFile(bin)))
    expect(model).toMatchObject({ format: 'fedchain-model', round: 1, specHash: header.specHash, shapes: header.shapes, modelSha256: await roundModelHash(dir, 1) })
    expect(Float32Array.from(model.parameters.flat())).toEqual(params)
  })

  it('refuses a model whose stored bytes do not match the chain', async () => {
    const dir = await copyRun(run)
    dirs.push(dir)
    const record = await readRecord(dir)
    const verdict = record.logs.map(decoded).find((e) => e?.name === 'VerdictSubmitted' && Number(e.args['round']) === 2)
    for (const file of await blobFiles(dir, verdict?.args['modelCid'] as string)) await flipByte(file)
    const out = join(dir, 'tampered.bin')
    const { error } = await fedchain('export', '--run', dir, '--out', out)
    expect(error).toMatchObject({ code: 'EXPORT_MODEL_UNVERIFIED' })
    expect((error as { shortMessage: string }).shortMessage).toContain('corrupt copies')
    await expect(readFile(out)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('refuses a stored model that is not the one the chain finalized', async () => {
    const dir = await copyRun(run)
    dirs.push(dir)
    const record = await readRecord(dir)
    const logs = record.logs.map((log) => {
      const e = decoded(log)
      return e?.name === 'RoundFinalized' && Number(e.args['round']) === 2 ? rewriteLog(log, { modelSha256: `0x${'ab'.repeat(32)}` }) : log
    })
    await writeRecord(dir, { ...record, logs })
    const { error } = await fedchain('export', '--run', dir, '--out', join(dir, 'forged.bin'))
    expect(error).toMatchObject({ code: 'EXPORT_MODEL_UNVERIFIED' })
    expect((error as { shortMessage: string }).shortMessage).toMatch(/not the on-chain 0x(ab){32}; refusing to export it$/)
  })

  it('refuses a round that does not exist', async () => {
    const { error } = await fedchain('export', '--run', run, '--round', '7')
    expect(error).toMatchObject({ code: 'AUDIT_TASK_NOT_FOUND', shortMessage: 'round 7 of task 1 is not on chain' })
  })
})
