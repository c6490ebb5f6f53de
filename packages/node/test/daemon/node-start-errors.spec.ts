import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { initNode } from '../../src/config/index.js'
import { createLogger, startDevChain, startNodeDaemon } from '../../src/daemon/index.js'

const EXAMPLE = new URL('../../../../examples/breast-cancer/', import.meta.url)

describe('node start errors', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedchain-start-'))
    // Port 9 (discard) on loopback: nothing answers JSON-RPC there.
    await initNode({ dataDir: join(dir, 'node'), data: new URL('data/wdbc.csv', EXAMPLE).pathname, schema: new URL('schema.json', EXAMPLE).pathname, rpc: 'http://127.0.0.1:9', contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3', password: 'pw', scryptN: 1024 })
  })
  afterAll(async () => rm(dir, { recursive: true, force: true }))

  it('says the RPC endpoint is unreachable, with a hint', async () => {
    const error = await startNodeDaemon({ dataDir: join(dir, 'node'), password: 'pw', log: createLogger({ level: 'error' }) }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CHAIN_RPC_UNREACHABLE' })
    expect((error as { hint?: string }).hint).toBeTruthy()
  })

  it('says the Kubo daemon behind --ipfs-api is unreachable before it touches the chain', async () => {
    // The RPC endpoint is unreachable too: the blob store is checked first, so the error names Kubo.
    const error = await startNodeDaemon({ dataDir: join(dir, 'node'), password: 'pw', ipfsApi: 'http://127.0.0.1:9', log: createLogger({ level: 'error' }) }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'BLOB_STORE_UNREACHABLE', url: 'http://127.0.0.1:9' })
    expect((error as { hint: string }).hint).toContain('--ipfs-api')
  })

  it('says the data dir was never initialized', async () => {
    await expect(startNodeDaemon({ dataDir: join(dir, 'missing'), password: 'pw' })).rejects.toMatchObject({ code: 'CONFIG_MISSING' })
  })

  it('says what to send when the node has no stake or gas', async () => {
    const chain = await startDevChain({ port: 0, accounts: 1, autoAdmit: false })
    try {
      const dataDir = join(dir, 'unfunded')
      await initNode({ dataDir, data: new URL('data/wdbc.csv', EXAMPLE).pathname, schema: new URL('schema.json', EXAMPLE).pathname, rpc: chain.file.rpc, contract: chain.file.aggregator, password: 'pw', scryptN: 1024 })
      const error = await startNodeDaemon({ dataDir, password: 'pw', log: createLogger({ level: 'error', write: () => undefined }) }).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'MEMBERSHIP_UNFUNDED' })
      expect((error as { hint: string }).hint).toContain('--fund-from-env')
    } finally {
      await chain.stop()
    }
  }, 30_000)

  it('says the key password is wrong', async () => {
    await expect(startNodeDaemon({ dataDir: join(dir, 'node'), password: 'wrong' })).rejects.toMatchObject({ code: 'KEY_PASSWORD_INVALID' })
  })
})
