import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditReport } from '../../src/audit/audit-task.js'
import { exportX25519PrivateKey, generateX25519KeyPair } from '../../src/crypto/index.js'
import { runLiveConsortium, type LiveConsortium } from '../audit/live-consortium.js'
import { fedchain, lastJson } from './run-cli.js'

let live: LiveConsortium
let dir: string

beforeAll(async () => {
  live = await runLiveConsortium()
  dir = await mkdtemp(join(tmpdir(), 'fedchain-audit-rpc-'))
  await mkdir(join(dir, 'blobs'))
  await writeFile(join(dir, 'auditor.key'), Buffer.from(exportX25519PrivateKey(generateX25519KeyPair())).toString('hex'))
}, 120_000)

afterAll(async () => {
  await live?.served.close()
  if (live !== undefined) await rm(live.blobDir, { recursive: true, force: true })
  await rm(dir, { recursive: true, force: true })
})

describe('fedchain audit --rpc', () => {
  it('checks commitments and quorums from the live chain and reports every blob it cannot find', async () => {
    const { stdout, error } = await fedchain('audit', '--rpc', live.served.url, '--contract', live.aggregatorAddress, '--task', '1', '--blobs', join(dir, 'blobs'), '--auditor-key', join(dir, 'auditor.key'), '--json')
    expect(error).toMatchObject({ code: 'COMMAND_FAILED' })
    const report = lastJson<AuditReport>(stdout)
    expect(report.checked).toMatchObject({ commitments: 11, updates: 11, quorums: 2 })
    expect(report.rounds.map((r) => r.status)).toEqual(['finalized', 'aborted', 'finalized'])
    const checks = new Set(report.mismatches.map((m) => m.check))
    // Salts come from the share transactions, so every commitment opens; the dissent and the absence are consistent.
    expect(checks).toEqual(new Set(['model-spec', 'update-blob', 'aggregate', 'model-blob']))
    expect(report.mismatches.filter((m) => m.check === 'update-blob')).toHaveLength(11)
  })

  it('asks for the blob stores and the auditor key before reading the chain', async () => {
    const base = ['audit', '--rpc', 'http://127.0.0.1:9', '--contract', live.aggregatorAddress]
    expect((await fedchain(...base)).error).toMatchObject({ code: 'AUDIT_OPTIONS_INVALID', shortMessage: '--rpc audits need --blobs <dir…>' })
    expect((await fedchain(...base, '--blobs', dir)).error).toMatchObject({ code: 'AUDIT_OPTIONS_INVALID', shortMessage: '--rpc audits need --auditor-key <file>' })
  })
})
