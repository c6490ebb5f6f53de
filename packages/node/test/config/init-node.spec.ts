import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { initNode, loadLocalData, readNodeConfig, type InitNodeParameters } from '../../src/config/index.js'
import { IdentityExistsError } from '../../src/crypto/errors.js'
import { fileExists } from '../../src/crypto/key-file-io.js'

const SCHEMA = {
  version: 1,
  name: 'tiny',
  task: 'binary-classification',
  features: ['a', 'b'],
  label: { column: 'y', classes: ['0', '1'] },
}
const CONTRACT = '0x5FbDB2315678afecb367f032d93F642f64180aa3'

describe('initNode', () => {
  let dir: string
  let base: InitNodeParameters

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedchain-init-'))
    await writeFile(join(dir, 'schema.json'), JSON.stringify(SCHEMA))
    await writeFile(join(dir, 'data.csv'), 'a,b,y\n1,2,0\n3,4,1\n5,6,1\n')
    base = { dataDir: join(dir, 'node'), data: join(dir, 'data.csv'), schema: join(dir, 'schema.json'), rpc: 'http://127.0.0.1:8545', contract: CONTRACT, password: 'pw', scryptN: 1024 }
  })
  afterEach(async () => rm(dir, { recursive: true, force: true }))

  it('writes keys (0600) and config.json in a 0700 data dir', async () => {
    const result = await initNode(base)
    expect(result.rows).toBe(3)
    expect(result.features).toBe(2)
    expect((await stat(base.dataDir)).mode & 0o777).toBe(0o700)
    expect((await stat(result.configPath)).mode & 0o777).toBe(0o600)
    expect((await stat(join(base.dataDir, 'keys', 'wallet.json'))).mode & 0o777).toBe(0o600)
    const config = await readNodeConfig(base.dataDir)
    expect(config).toMatchObject({ rpc: base.rpc, contract: CONTRACT, listen: ['/ip4/127.0.0.1/tcp/0'], statusPort: 0 })
  })

  it('records a Kubo RPC URL to keep blobs in', async () => {
    await initNode({ ...base, ipfsApi: 'http://127.0.0.1:5001' })
    expect(await readNodeConfig(base.dataDir)).toMatchObject({ ipfsApi: 'http://127.0.0.1:5001' })
  })

  it('refuses to overwrite an existing identity', async () => {
    await initNode(base)
    const before = await readFile(join(base.dataDir, 'keys', 'wallet.json'), 'utf8')
    await expect(initNode(base)).rejects.toMatchObject({ code: 'IDENTITY_EXISTS' })
    expect(await readFile(join(base.dataDir, 'keys', 'wallet.json'), 'utf8')).toBe(before)
  })

  it.each([
    ['rpc', { rpc: 'not a url' }, 'CONFIG_ARGUMENT_INVALID'],
    ['rpc scheme', { rpc: 'ftp://127.0.0.1' }, 'CONFIG_ARGUMENT_INVALID'],
    ['contract', { contract: '0x1234' }, 'CONFIG_ARGUMENT_INVALID'],
    ['listen', { listen: ['not-a-multiaddr'] }, 'CONFIG_ARGUMENT_INVALID'],
    ['status port', { statusPort: 70_000 }, 'CONFIG_ARGUMENT_INVALID'],
    ['ipfs-api', { ipfsApi: '127.0.0.1:5001' }, 'CONFIG_ARGUMENT_INVALID'],
  ] as const)('rejects a bad %s without writing anything', async (_name, override, code) => {
    await expect(initNode({ ...base, ...override })).rejects.toMatchObject({ code })
    expect(await fileExists(base.dataDir)).toBe(false)
  })

  it.each([
    ['an unknown label', 'a,b,y\n1,2,7\n', 'DATA_LABEL_UNKNOWN'],
    ['a missing column', 'a,y\n1,0\n', 'DATA_COLUMN_MISSING'],
    ['a non-numeric cell', 'a,b,y\n1,x,0\n', 'DATA_CELL_NOT_NUMERIC'],
    ['no rows', 'a,b,y\n', 'DATA_FILE_EMPTY'],
  ])('rejects a CSV with %s, naming the problem, without writing anything', async (_name, csv, code) => {
    await writeFile(base.data, csv)
    const error = await initNode(base).catch((e: unknown) => e)
    expect(error).toMatchObject({ code })
    expect((error as { shortMessage: string }).shortMessage).toContain('data.csv')
    expect(await fileExists(base.dataDir)).toBe(false)
  })

  it('rejects an invalid schema', async () => {
    await writeFile(base.schema, JSON.stringify({ ...SCHEMA, features: [] }))
    await expect(initNode(base)).rejects.toMatchObject({ code: 'SCHEMA_INVALID' })
  })

  it('needs a key password', async () => {
    const { password: _password, ...rest } = base
    await expect(initNode({ ...rest, env: {} })).rejects.toMatchObject({ code: 'KEY_PASSWORD_MISSING' })
  })

  it('checks the key password before it creates the data dir (or any dir above it)', async () => {
    const { password: _password, ...rest } = base
    const dataDir = join(dir, 'new', 'node')
    await expect(initNode({ ...rest, dataDir, env: {} })).rejects.toMatchObject({ code: 'KEY_PASSWORD_MISSING' })
    expect(await fileExists(join(dir, 'new'))).toBe(false)
  })

  it('refuses a --data-dir that is a file, writing nothing', async () => {
    await writeFile(join(dir, 'afile'), 'x')
    const error = await initNode({ ...base, dataDir: join(dir, 'afile') }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CONFIG_ARGUMENT_INVALID', shortMessage: `--data-dir ${join(dir, 'afile')} is a file, not a directory` })
    expect(await readFile(join(dir, 'afile'), 'utf8')).toBe('x')
  })

  it('names the command to run on an initialized dir, not a library function', async () => {
    await initNode(base)
    const error = await initNode(base).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IdentityExistsError)
    expect(error).toMatchObject({ code: 'IDENTITY_EXISTS' })
    const hint = (error as { hint: string }).hint
    expect(hint).toContain(`fedchain node start --data-dir ${base.dataDir}`)
    expect(hint).toContain('--data-dir')
    expect(hint).not.toContain('loadNodeIdentity')
    expect((error as Error).message).not.toContain('loadNodeIdentity')
  })

  it('says the --contract to use when it is not an address', async () => {
    const error = await initNode({ ...base, contract: '0x123' }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CONFIG_ARGUMENT_INVALID', shortMessage: "--contract must be a 0x-prefixed 20-byte address; got '0x123'" })
  })
})

describe('loadLocalData', () => {
  it('points node start at config.json, not at a --data flag it does not have, when the CSV is gone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fedchain-local-data-'))
    try {
      await writeFile(join(dir, 'schema.json'), JSON.stringify(SCHEMA))
      const fromConfig = await loadLocalData(join(dir, 'gone.csv'), join(dir, 'schema.json')).catch((e: unknown) => e)
      expect(fromConfig).toMatchObject({ code: 'DATA_FILE_EMPTY', shortMessage: `cannot read ${join(dir, 'gone.csv')}` })
      expect((fromConfig as { hint: string }).hint).toContain('config.json')
      expect((fromConfig as { hint: string }).hint).toContain('fedchain node init')
      expect((fromConfig as { hint: string }).hint).not.toContain('--data ')
      const schemaGone = await loadLocalData(join(dir, 'gone.csv'), join(dir, 'gone.json')).catch((e: unknown) => e)
      expect((schemaGone as { hint: string }).hint).toContain('"schema" in the node\'s config.json')
      // node init names its own flags.
      const fromFlags = await loadLocalData(join(dir, 'gone.csv'), join(dir, 'schema.json'), 'flags').catch((e: unknown) => e)
      expect((fromFlags as { hint: string }).hint).toBe('check the --data path')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('readNodeConfig', () => {
  it('says to run node init when the data dir has no config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fedchain-config-'))
    try {
      const error = await readNodeConfig(dir).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'CONFIG_MISSING' })
      expect((error as { hint: string }).hint).toContain('fedchain node init')
      await writeFile(join(dir, 'config.json'), JSON.stringify({ version: 1, data: 'x', schema: 'y', rpc: 'http://x', contract: 'nope' }))
      await expect(readNodeConfig(dir)).rejects.toMatchObject({ code: 'CONFIG_INVALID' })
      const valid = { version: 1, data: 'x', schema: 'y', rpc: 'http://x', contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' }
      await writeFile(join(dir, 'config.json'), JSON.stringify({ ...valid, ipfsApi: 'localhost:5001' }))
      const error2 = await readNodeConfig(dir).catch((e: unknown) => e)
      expect(error2).toMatchObject({ code: 'CONFIG_INVALID' })
      expect((error2 as Error).message).toContain('"ipfsApi"')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
