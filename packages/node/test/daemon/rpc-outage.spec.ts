import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectAggregator } from '@fedchain/aggregator-contract'
import { Wallet } from 'ethers'
import { initNode } from '../../src/config/index.js'
import { createLogger, createTask, launchRound, startDevChain, startNodeDaemon, type DevChain, type NodeDaemon } from '../../src/daemon/index.js'
import { connectRpc } from '../../src/chain/provider.js'
import { parseDatasetSchema } from '../../src/learning/index.js'
import { blobStorePath, createFsBlobStore } from '../../src/storage/index.js'

const EXAMPLE = new URL('../../../../examples/breast-cancer/', import.meta.url)

/** A JSON-RPC pass-through that can be taken down: while down it refuses every request with 503. */
async function startFlakyProxy(target: string): Promise<{ url: string; down: boolean; requestsWhileDown: number; close(): Promise<void> }> {
  const state = { down: false, requestsWhileDown: 0 }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (state.down) {
        state.requestsWhileDown++
        res.writeHead(503).end()
        return
      }
      fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) })
        .then(async (answer) => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(Buffer.from(await answer.arrayBuffer())))
        .catch(() => res.writeHead(502).end())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  })
}

describe('node daemon during an RPC outage', () => {
  let dir: string
  let chain: DevChain
  let proxy: Awaited<ReturnType<typeof startFlakyProxy>>
  const nodes: NodeDaemon[] = []
  const lines: string[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedchain-outage-'))
    chain = await startDevChain({ port: 0, accounts: 2, admitPollMs: 100 })
    proxy = await startFlakyProxy(chain.file.rpc)
    const funderKey = chain.file.devAccounts?.accounts[0]?.privateKey as string
    for (const i of [1, 2]) {
      const dataDir = join(dir, `h${i}`)
      await initNode({ dataDir, data: fileURLToPath(new URL('data/wdbc.csv', EXAMPLE)), schema: fileURLToPath(new URL('schema.json', EXAMPLE)), rpc: proxy.url, contract: chain.file.aggregator, password: 'pw', scryptN: 1024 })
      nodes.push(await startNodeDaemon({ dataDir, password: 'pw', taskId: 1n, funderKey, pollMs: 150, log: createLogger({ level: 'info', write: (line) => lines.push(line) }) }))
    }
  }, 60_000)

  afterAll(async () => {
    await Promise.allSettled(nodes.map((n) => n.stop()))
    await proxy?.close()
    await chain?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('retries while the RPC is down and finishes the round afterwards, committing once (the committee checking the task’s validation set)', async () => {
    const provider = await connectRpc({ url: chain.file.rpc })
    const owner = new Wallet(chain.file.devAccounts?.accounts[0]?.privateKey as string, provider)
    const store = await createFsBlobStore({ path: blobStorePath(join(dir, 'h1')) })
    const schema = parseDatasetSchema(JSON.parse(await readFile(new URL('schema.json', EXAMPLE), 'utf8')))
    // The first 120 rows of the public example as the task's validation set: node 2 fetches it from node 1.
    const csv = new TextEncoder().encode(`${(await readFile(new URL('data/wdbc.csv', EXAMPLE), 'utf8')).split('\n').slice(0, 121).join('\n')}\n`)
    await createTask({ signer: owner, aggregator: chain.file.aggregator, model: { kind: 'logistic-regression', inputs: 30, classes: 2 }, schema, rounds: 1, store, seed: 2, timing: { commitDuration: 30, shareDuration: 30, verifyDuration: 30 }, validation: { csv } })
    await store.close?.()
    for (let i = 0; i < 100 && nodes.some((n) => (n.status().peers ?? 0) < 1); i++) await new Promise((r) => setTimeout(r, 100))

    // The nodes lose the chain right as the round opens (the owner reaches the chain directly).
    proxy.down = true
    const launched = await launchRound({ signer: owner, aggregator: chain.file.aggregator, taskId: 1n })
    await new Promise((r) => setTimeout(r, 1_500))
    expect(proxy.requestsWhileDown).toBeGreaterThan(0)
    expect(nodes.every((n) => n.status().lastError !== undefined)).toBe(true)
    proxy.down = false

    const aggregator = connectAggregator(chain.file.aggregator, provider)
    for (let i = 0; i < 300; i++) {
      if ((await aggregator.queryFilter(aggregator.filters['RoundFinalized']?.(1n, launched.round) ?? '*')).length > 0) break
      await new Promise((r) => setTimeout(r, 100))
    }
    const finalized = await aggregator.queryFilter(aggregator.filters['RoundFinalized']?.(1n, launched.round) ?? '*')
    expect(finalized).toHaveLength(1)
    const commits = await aggregator.queryFilter(aggregator.filters['UpdateCommitted']?.(1n, launched.round) ?? '*')
    expect(commits).toHaveLength(2)
    // Both members scored the updates on the same 120 rows and agreed bit for bit (the quorum of 2).
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; validationRows?: number; accepted?: number; rejected?: unknown[] })
    expect(logged.filter((l) => l.msg === 'following task').map((l) => l.validationRows)).toEqual([120, 120])
    expect(logged.filter((l) => l.msg === 'verdict submitted').map((l) => [l.accepted, l.rejected])).toEqual([[2, []], [2, []]])
    provider.destroy()
  }, 60_000)
})
