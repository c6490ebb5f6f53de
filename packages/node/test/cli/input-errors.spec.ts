import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fedchainFails, runFedchain } from './run-cli.js'

const schema = fileURLToPath(new URL('../../../../examples/breast-cancer/schema.json', import.meta.url))
const csv = fileURLToPath(new URL('../../../../examples/breast-cancer/data/wdbc.csv', import.meta.url))
const CONTRACT = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
// Nothing answers JSON-RPC on the discard port: these errors must come before any chain call.
const NO_CHAIN = ['--rpc', 'http://127.0.0.1:9', '--contract', CONTRACT]
const KEY = `0x${'11'.repeat(32)}`

const fail = (args: string[], env: NodeJS.ProcessEnv = {}) => fedchainFails(args, { FEDCHAIN_SCRYPT_N: '1024', FEDCHAIN_GOVERNANCE_KEY: KEY, FEDCHAIN_OWNER_KEY: KEY, ...env })

describe('CLI input errors', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedchain-cli-input-'))
  })
  afterAll(async () => rm(dir, { recursive: true, force: true }))

  it('node admit checks --address before contacting the chain (not "network does not support ENS")', async () => {
    const failure = await fail(['node', 'admit', '--address', 'nope', ...NO_CHAIN])
    expect(failure.code).toBe(1)
    expect(failure.stderr).toContain("error: --address must be a 0x-prefixed 20-byte address; got 'nope'\nhint: ")
    expect(failure.stderr).not.toContain('ENS')
    const checksum = await fail(['node', 'admit', '--address', '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92267', ...NO_CHAIN])
    expect(checksum.stderr).toContain('--address has a bad checksum')
  })

  it.each([
    ['node admit', ['node', 'admit', '--address', CONTRACT]],
    ['round launch', ['round', 'launch', '--task', '1']],
    ['task create', ['task', 'create', '--model', 'breast-cancer', '--store-in', '/tmp/x']],
  ])('%s checks --contract', async (_name, args) => {
    const failure = await fail([...args, '--rpc', 'http://127.0.0.1:9', '--contract', 'nope'])
    expect(failure.code).toBe(1)
    expect(failure.stderr).toContain("error: --contract must be a 0x-prefixed 20-byte address; got 'nope'\nhint: ")
  })

  it('task create checks --auditor-key at the flag, with a hint about the flag', async () => {
    const failure = await fail(['task', 'create', ...NO_CHAIN, '--model', 'breast-cancer', '--store-in', join(dir, 'store'), '--auditor-key', '0x12'])
    expect(failure.code).toBe(1)
    expect(failure.stderr).toContain("error: --auditor-key must be a 32-byte X25519 public key as 0x + 64 hex characters; got '0x12'\n")
    expect(failure.stderr).toMatch(/hint: .*0x followed by 64 hex characters/)
    expect(failure.stderr).not.toContain('task manifest')
    expect(failure.stderr).not.toContain('incompatible tool')
    const lowOrder = await fail(['task', 'create', ...NO_CHAIN, '--model', 'breast-cancer', '--store-in', join(dir, 'store'), '--auditor-key', `0x${'00'.repeat(32)}`])
    expect(lowOrder.stderr).toContain('--auditor-key is not a usable X25519 public key (a low-order point)')
    expect(await readdir(dir)).not.toContain('store')
  })

  it('node init without FEDCHAIN_KEY_PASSWORD leaves no directory behind', async () => {
    const dataDir = join(dir, 'nopw', 'node')
    const failure = await fail(['node', 'init', '--data-dir', dataDir, '--data', csv, '--schema', schema, ...NO_CHAIN], { FEDCHAIN_KEY_PASSWORD: '' })
    expect(failure.code).toBe(1)
    expect(failure.stderr).toContain('FEDCHAIN_KEY_PASSWORD')
    expect(await readdir(dir)).not.toContain('nopw')
  })

  it('node init on an initialized dir names `fedchain node start`, not a library function', async () => {
    const dataDir = join(dir, 'node')
    await runFedchain(['node', 'init', '--data-dir', dataDir, '--data', csv, '--schema', schema, ...NO_CHAIN], { FEDCHAIN_KEY_PASSWORD: 'pw', FEDCHAIN_SCRYPT_N: '1024' })
    const failure = await fail(['node', 'init', '--data-dir', dataDir, '--data', csv, '--schema', schema, ...NO_CHAIN], { FEDCHAIN_KEY_PASSWORD: 'pw' })
    expect(failure.stderr).toContain(`error: a node identity already exists in ${join(dataDir, 'keys')}\n`)
    expect(failure.stderr).toContain(`hint: start the node it holds with \`fedchain node start --data-dir ${dataDir}\`, or choose another --data-dir`)
    expect(failure.stderr).not.toContain('loadNodeIdentity')
  })

  it('node init refuses a --data-dir that is a file', async () => {
    await writeFile(join(dir, 'afile'), 'x')
    const failure = await fail(['node', 'init', '--data-dir', join(dir, 'afile'), '--data', csv, '--schema', schema, ...NO_CHAIN], { FEDCHAIN_KEY_PASSWORD: 'pw' })
    expect(failure.stderr).toContain(`error: --data-dir ${join(dir, 'afile')} is a file, not a directory\nhint: `)
  })
})
