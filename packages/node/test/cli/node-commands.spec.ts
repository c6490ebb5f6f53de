import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fedchainFails, runFedchain } from './run-cli.js'

const schema = fileURLToPath(new URL('../../../../examples/breast-cancer/schema.json', import.meta.url))
const csv = fileURLToPath(new URL('../../../../examples/breast-cancer/data/wdbc.csv', import.meta.url))
const env = { FEDCHAIN_KEY_PASSWORD: 'pw', FEDCHAIN_SCRYPT_N: '1024' }
const CONTRACT = '0x5FbDB2315678afecb367f032d93F642f64180aa3'

const fail = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => fedchainFails(args, { ...env, ...extraEnv })

describe('fedchain node', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedchain-cli-node-'))
  })
  afterAll(async () => rm(dir, { recursive: true, force: true }))

  it('init prints the new identity as JSON', async () => {
    const { stdout } = await runFedchain(['node', 'init', '--data-dir', join(dir, 'ok'), '--data', csv, '--schema', schema, '--rpc', 'http://127.0.0.1:9', '--contract', CONTRACT, '--json'], env)
    const result = JSON.parse(stdout.trim()) as { address: string; rows: number }
    expect(result.address).toMatch(/^0x[0-9a-fA-F]{40}$/)
    expect(result.rows).toBe(569)
  })

  it('init names the bad CSV line and exits 1', async () => {
    const bad = join(dir, 'bad.csv')
    const [header] = (await import('node:fs')).readFileSync(csv, 'utf8').split('\n')
    await writeFile(bad, `${header}\n${(header as string).split(',').map(() => '1').join(',')}\n${(header as string).split(',').map(() => 'x').join(',')}\n`)
    const failure = await fail(['node', 'init', '--data-dir', join(dir, 'bad'), '--data', bad, '--schema', schema, '--rpc', 'http://127.0.0.1:9', '--contract', CONTRACT])
    expect(failure.code).toBe(1)
    expect(failure.stderr).toMatch(/error: .*bad\.csv line 3/)
    expect(failure.stderr).toContain('hint:')
  })

  it('init refuses to overwrite an identity', async () => {
    const failure = await fail(['node', 'init', '--data-dir', join(dir, 'ok'), '--data', csv, '--schema', schema, '--rpc', 'http://127.0.0.1:9', '--contract', CONTRACT])
    expect(failure.stderr).toContain('already exists')
  })

  it('start says the RPC is unreachable, with a hint, and exits 1', async () => {
    const failure = await fail(['node', 'start', '--data-dir', join(dir, 'ok')])
    expect(failure.code).toBe(1)
    expect(failure.stderr).toContain('unreachable')
    expect(failure.stderr).toContain('hint: ')
  })

  it('start needs the key password', async () => {
    const failure = await fail(['node', 'start', '--data-dir', join(dir, 'ok')], { FEDCHAIN_KEY_PASSWORD: '' })
    expect(failure.stderr).toContain('FEDCHAIN_KEY_PASSWORD')
  })
})
