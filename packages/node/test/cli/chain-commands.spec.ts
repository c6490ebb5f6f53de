import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))

describe('fedchain chain start', () => {
  it('serves the chain, writes chain.json with labelled development keys, and stops on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fedchain-cli-chain-'))
    try {
      const out = join(dir, 'chain.json')
      const child = spawn(process.execPath, [main, 'chain', 'start', '--port', '0', '--accounts', '3', '--out', out])
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
      for (let i = 0; i < 200 && !stdout.includes('\n'); i++) await new Promise((r) => setTimeout(r, 100))
      expect(stderr).not.toContain('error')
      const printed = JSON.parse(stdout.trim()) as { rpc: string; aggregator: string; devAccounts: { warning: string; accounts: unknown[] } }
      expect(printed.devAccounts.warning).toContain('DEVELOPMENT ONLY')
      expect(printed.devAccounts.accounts).toHaveLength(3)
      const answer = (await (await fetch(printed.rpc, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getCode', params: [printed.aggregator, 'latest'] }) })).json()) as { result: string }
      expect(answer.result.length).toBeGreaterThan(2)
      expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(printed)
      expect((await stat(out)).mode & 0o777).toBe(0o600)
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 30_000)
})
