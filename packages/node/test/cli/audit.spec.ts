import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CommandFailedError } from '../../src/errors.js'
import { blobFiles, copyRun, decoded, flipByte, readRecord, simulateRun, writeRecord } from '../audit/run-fixture.js'
import { fedchain, lastJson } from './run-cli.js'

let run: string
const copies: string[] = []

beforeAll(async () => {
  run = await simulateRun()
}, 120_000)

afterAll(async () => {
  await Promise.all([run, ...copies].map((d) => rm(d, { recursive: true, force: true })))
})

describe('fedchain audit', () => {
  it('prints a clean report and its JSON as the last line', async () => {
    const human = await fedchain('audit', '--run', run)
    expect(human.error).toBeUndefined()
    expect(human.stdout).toContain('no mismatch')

    const json = await fedchain('audit', '--run', run, '--json')
    const report = lastJson<{ ok: boolean; rounds: unknown[] }>(json.stdout)
    expect(report.ok).toBe(true)
    expect(report.rounds).toHaveLength(2)
  })

  it('fails with a clear message when a model blob was tampered with', async () => {
    const dir = await copyRun(run)
    copies.push(dir)
    const record = await readRecord(dir)
    const verdict = record.logs.map(decoded).find((e) => e?.name === 'VerdictSubmitted' && Number(e.args['round']) === 1)
    for (const file of await blobFiles(dir, verdict?.args['modelCid'] as string)) await flipByte(file)

    const { stdout, error } = await fedchain('audit', '--run', dir)
    expect(error).toBeInstanceOf(CommandFailedError)
    expect((error as CommandFailedError).shortMessage).toMatch(/^audit found \d+ mismatches in task 1$/)
    expect(stdout).toContain('✗ round 1 · model-blob')
  })

  it('fails when the chain record was cut short of what summary.json reports', async () => {
    const dir = await copyRun(run)
    copies.push(dir)
    const record = await readRecord(dir)
    const lastRound = record.logs.findIndex((l) => decoded(l)?.name === 'RoundOpened' && Number(decoded(l)?.args['round']) === 2)
    await writeRecord(dir, { ...record, logs: record.logs.slice(0, lastRound) })

    const { stdout, error } = await fedchain('audit', '--run', dir)
    expect(error).toBeInstanceOf(CommandFailedError)
    expect(stdout).toContain('· run-summary · chain: summary.json reports round 2 finalized in 0x')
  })

  it('refuses contradictory sources', async () => {
    const { error } = await fedchain('audit', '--run', run, '--rpc', 'http://127.0.0.1:9')
    expect(error).toMatchObject({ code: 'AUDIT_OPTIONS_INVALID', shortMessage: '--run and --rpc are exclusive' })
    const strategy = await fedchain('audit', '--run', run, '--strategy', 'fedavg')
    expect(strategy.error).toMatchObject({ code: 'AUDIT_OPTIONS_INVALID', shortMessage: '--strategy applies to --rpc audits only' })
    for (const command of ['audit', 'status', 'export']) {
      const badAddress = await fedchain(command, '--rpc', 'http://127.0.0.1:9', '--contract', 'nope')
      expect((badAddress.error as CommandFailedError).shortMessage).toBe("--contract must be a 0x-prefixed 20-byte address; got 'nope'")
    }
    const unknown = await fedchain('audit', '--rpc', 'http://127.0.0.1:9', '--contract', `0x${'1'.repeat(40)}`, '--blobs', run, '--auditor-key', 'k', '--strategy', 'foo')
    expect((unknown.error as CommandFailedError).shortMessage).toMatch(/^--strategy must be one of fedavg, /)
  })
})
