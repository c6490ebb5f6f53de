import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditTask } from '../../src/audit/audit-task.js'
import { prepareAudit } from '../../src/audit/prepare-audit.js'
import { AuditorKeyError, RunRecordInvalidError, RunRecordMissingError } from '../../src/audit/errors.js'
import { blobFiles, copyRun, decoded, flipByte, readRecord, rewriteLog, simulateRun, writeRecord } from './run-fixture.js'

let run: string
const copies: string[] = []
const fresh = async () => {
  const copy = await copyRun(run)
  copies.push(copy)
  return copy
}
const audit = async (dir: string) => auditTask(await prepareAudit({ run: dir }))

beforeAll(async () => {
  run = await simulateRun()
}, 120_000)

afterAll(async () => {
  await Promise.all([run, ...copies].map((d) => rm(d, { recursive: true, force: true })))
})

describe('auditTask on a protocol run', () => {
  it('finds no mismatch in an untouched run', async () => {
    const report = await audit(await fresh())
    expect(report.mismatches).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.rounds.map((r) => r.status)).toEqual(['finalized', 'finalized'])
    for (const r of report.rounds) {
      expect(r.opened).toBe(3)
      expect(r.recomputedSha256).toBe(r.modelSha256)
    }
    expect(report.checked).toEqual({ commitments: 6, updates: 6, aggregates: 2, models: 2, quorums: 2 })
  })

  it('detects a tampered model blob', async () => {
    const dir = await fresh()
    const record = await readRecord(dir)
    const verdict = record.logs.map(decoded).find((e) => e?.name === 'VerdictSubmitted' && Number(e.args['round']) === 2)
    const files = await blobFiles(dir, verdict?.args['modelCid'] as string)
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) await flipByte(file)

    const report = await audit(dir)
    expect(report.ok).toBe(false)
    expect(report.mismatches.filter((m) => m.check === 'blob-copy')).toHaveLength(files.length)
    expect(report.mismatches).toContainEqual(expect.objectContaining({ round: 2, check: 'model-blob' }))
  })

  it('reports a single corrupt copy even when another store holds a good one', async () => {
    const dir = await fresh()
    const record = await readRecord(dir)
    const verdict = record.logs.map(decoded).find((e) => e?.name === 'VerdictSubmitted' && Number(e.args['round']) === 1)
    const [file] = await blobFiles(dir, verdict?.args['modelCid'] as string)
    await flipByte(file as string)
    const report = await audit(dir)
    expect(report.mismatches).toEqual([expect.objectContaining({ round: 1, check: 'blob-copy', party: expect.stringContaining('blobs') as unknown })])
  })

  it('detects a tampered update blob', async () => {
    const dir = await fresh()
    const record = await readRecord(dir)
    const share = record.logs.map(decoded).find((e) => e?.name === 'UpdateShared' && Number(e.args['round']) === 1)
    for (const file of await blobFiles(dir, share?.args['updateCid'] as string)) await flipByte(file)

    const report = await audit(dir)
    const hospital = share?.args['hospital'] as string
    expect(report.mismatches).toContainEqual(expect.objectContaining({ round: 1, check: 'update-blob', party: hospital }))
    // Without that update the round's aggregate cannot be recomputed, which is itself reported.
    expect(report.mismatches).toContainEqual(expect.objectContaining({ round: 1, check: 'aggregate' }))
  })

  it('detects a commitment the shared update does not open and a round opened from another model', async () => {
    const dir = await fresh()
    const record = await readRecord(dir)
    const forged = `0x${'11'.repeat(32)}`
    let hospital = ''
    const logs = record.logs.map((log) => {
      const e = decoded(log)
      if (e?.name === 'UpdateCommitted' && Number(e.args['round']) === 2 && hospital === '') {
        hospital = e.args['hospital'] as string
        return rewriteLog(log, { commitment: forged })
      }
      if (e?.name === 'RoundOpened' && Number(e.args['round']) === 2) return rewriteLog(log, { baseModelSha256: forged })
      return log
    })
    await writeRecord(dir, { ...record, logs })
    const report = await audit(dir)
    expect(report.mismatches).toEqual([
      expect.objectContaining({ round: 2, check: 'base-model', found: forged }),
      expect.objectContaining({ round: 2, check: 'commitment', party: hospital, expected: forged }),
    ])
  })

  it('names the missing or corrupt input with a typed error', async () => {
    const dir = await fresh()
    await writeFile(join(dir, 'chain', 'record.json'), '{"version":1,"logs":[')
    await expect(prepareAudit({ run: dir })).rejects.toBeInstanceOf(RunRecordInvalidError)
    await expect(prepareAudit({ run: dir })).rejects.toMatchObject({ code: 'AUDIT_RECORD_INVALID', path: join(dir, 'chain', 'record.json') })

    const empty = await fresh()
    await rm(join(empty, 'chain'), { recursive: true })
    await expect(prepareAudit({ run: empty })).rejects.toBeInstanceOf(RunRecordMissingError)

    const keyless = await fresh()
    await rm(join(keyless, 'auditor.key'))
    await expect(prepareAudit({ run: keyless })).rejects.toBeInstanceOf(AuditorKeyError)
    await expect(prepareAudit({ run: keyless, blobs: [join(keyless, 'nope')] })).rejects.toMatchObject({ code: 'AUDIT_BLOBS_UNREADABLE' })
  })
})
