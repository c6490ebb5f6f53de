import { execFile } from 'node:child_process'
import { mkdtemp, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))

interface PrintedSummary {
  config: { coordinator: string }
  rounds: { finalizeTx: string | null; faults?: { node: string; resumed: boolean }[] }[]
}

describe('fedchain simulate (full protocol by default)', () => {
  it('finalizes every round on chain, survives a killed node and writes the report', async () => {
    const out = await mkdtemp(join(tmpdir(), 'fedchain-cli-'))
    const { stdout } = await run(process.execPath, [main, 'simulate', '--example', 'breast-cancer', '--nodes', '3', '--rounds', '2', '--kill', '2@2', '--json', '--out', out])
    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as PrintedSummary
    expect(summary.config.coordinator).toBe('protocol')
    expect(summary.rounds.map((r) => r.finalizeTx)).toEqual([expect.stringMatching(/^0x/), expect.stringMatching(/^0x/)])
    expect(summary.rounds[1]?.faults).toEqual([expect.objectContaining({ resumed: true })])
    const report = await readFile(join(out, 'report.html'), 'utf8')
    expect(report).toContain('<svg')
    expect((await stat(join(out, 'chain', 'record.json'))).size).toBeGreaterThan(1000)
  }, 120_000)

  it('names the flag when --kill is malformed or out of range', async () => {
    for (const [value, message] of [
      ['x@1', '--kill must be <node index>@<round>'],
      ['7@1', '--kill must be a node index below --nodes (3)'],
    ] as const) {
      const failure = await run(process.execPath, [main, 'simulate', '--nodes', '3', '--kill', value]).catch((e: unknown) => e as { code: number; stderr: string })
      expect('code' in failure && failure.code).toBe(1)
      expect(failure.stderr).toContain(message)
    }
  })

  it('refuses update attacks with --processes, where only poisoned rows reach the daemons', async () => {
    const failure = await run(process.execPath, [main, 'simulate', '--processes', '--malicious', '0.3:sign-flip']).catch((e: unknown) => e as { code: number; stderr: string })
    expect('code' in failure && failure.code).toBe(1)
    expect(failure.stderr).toContain("--malicious must be <fraction>:label-flip with --processes")
  })
})
