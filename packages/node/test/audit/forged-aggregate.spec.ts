import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { NextToLast } from 'blockstore-fs/sharding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditTask } from '../../src/audit/audit-task.js'
import { prepareAudit } from '../../src/audit/prepare-audit.js'
import { loadRunConfig, runBlobDirs } from '../../src/audit/run-inputs.js'
import { sha256Hex } from '../../src/protocol/participant.js'
import { cidForBytes } from '../../src/storage/index.js'
import { blobFiles, copyRun, decoded, readRecord, rewriteLog, simulateRun, writeRecord } from './run-fixture.js'

let run: string
const copies: string[] = []
const fresh = async () => {
  const copy = await copyRun(run)
  copies.push(copy)
  return copy
}

beforeAll(async () => {
  run = await simulateRun()
}, 120_000)

afterAll(async () => {
  await Promise.all([run, ...copies].map((d) => rm(d, { recursive: true, force: true })))
})

describe('auditTask on a forged aggregate', () => {
  it('detects a finalized model that is consistent on chain and in storage but is not the aggregate', async () => {
    const dir = await fresh()
    const record = await readRecord(dir)
    const { codec } = await loadRunConfig(dir)
    const verdict = record.logs.map(decoded).find((e) => e?.name === 'VerdictSubmitted' && Number(e.args['round']) === 2)
    const [honestFile] = await blobFiles(dir, verdict?.args['modelCid'] as string)
    const params = codec.decode(new Uint8Array(await readFile(honestFile as string)))
    params[0] = (params[0] as number) + 0.25
    const forged = codec.encode(params)
    const forgedCid = (await cidForBytes(forged)).toString()
    const forgedSha = sha256Hex(forged)
    // The forger stores the forged model and rewrites every event that names round 2's model.
    const [store] = await runBlobDirs(dir)
    const { dir: shard, file } = new NextToLast().encode((await cidForBytes(forged)))
    await mkdir(dirname(join(store as string, shard, file)), { recursive: true })
    await writeFile(join(store as string, shard, file), forged)
    const logs = record.logs.map((log) => {
      const e = decoded(log)
      if (e === undefined) return log
      const round2 = Number(e.args['round']) === 2
      if (e.name === 'VerdictSubmitted' && round2) return rewriteLog(log, { modelSha256: forgedSha, modelCid: forgedCid })
      if ((e.name === 'QuorumReached' || e.name === 'RoundFinalized') && round2) return rewriteLog(log, { modelSha256: forgedSha })
      if (e.name === 'TaskCompleted') return rewriteLog(log, { modelSha256: forgedSha })
      return log
    })
    await writeRecord(dir, { ...record, logs })

    const report = await auditTask(await prepareAudit({ run: dir }))
    expect(report.ok).toBe(false)
    expect(report.mismatches).toEqual([expect.objectContaining({ round: 2, check: 'aggregate', party: 'committee', found: forgedSha })])
  })

  it('detects an accepted set that differs from the updates the model aggregates', async () => {
    const dir = await fresh()
    const record = await readRecord(dir)
    const finalized = record.logs.map(decoded).find((e) => e?.name === 'RoundFinalized' && Number(e.args['round']) === 1)
    const accepted = finalized?.args['accepted'] as bigint
    const lowest = accepted & -accepted
    const narrowed = accepted & ~lowest
    const logs = record.logs.map((log) => {
      const e = decoded(log)
      if (e === undefined || Number(e.args['round']) !== 1) return log
      if (e.name === 'VerdictSubmitted' || e.name === 'QuorumReached') return rewriteLog(log, { acceptedBitmap: narrowed })
      if (e.name === 'RoundFinalized') return rewriteLog(log, { accepted: narrowed, rejected: lowest })
      return log
    })
    await writeRecord(dir, { ...record, logs })

    const report = await auditTask(await prepareAudit({ run: dir }))
    expect(report.mismatches).toEqual([expect.objectContaining({ round: 1, check: 'aggregate' })])
    expect(report.rounds[0]?.accepted).toHaveLength(2)
  })
})
