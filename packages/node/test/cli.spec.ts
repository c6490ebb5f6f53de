import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))

describe('fedchain CLI', () => {
  it('prints its version', async () => {
    const { stdout } = await run(process.execPath, [main, '--version'])
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('lists its commands in --help', async () => {
    const { stdout } = await run(process.execPath, [main, '--help'])
    expect(stdout).toContain('doctor')
  })

  it('exits non-zero with a hint when doctor finds a problem', async () => {
    const failure = await run(process.execPath, [main, 'doctor', '--rpc', 'http://127.0.0.1:9', '--json']).catch((e: unknown) => e as { code: number; stdout: string; stderr: string })
    expect('code' in failure && failure.code).toBe(1)
    const report = JSON.parse(failure.stdout.trim().split('\n').at(-1) ?? '') as { ok: boolean }
    expect(report.ok).toBe(false)
    expect(failure.stderr).toContain('hint:')
  })
})
