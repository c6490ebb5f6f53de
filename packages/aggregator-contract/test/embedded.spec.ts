import { JsonRpcProvider, Wallet } from 'ethers'
import { describe, expect, it } from 'vitest'
import { computeCommitment, connectAggregator, deployConsortium } from '../src/index.js'
import { serveEmbeddedChain, startEmbeddedChain } from '../src/embedded-index.js'

describe('embedded chain', () => {
  it('starts with 70 funded accounts, moves time, sets balances and stops', async () => {
    const chain = await startEmbeddedChain({ accounts: 70 })
    try {
      expect(chain.signers).toHaveLength(70)
      expect(chain.chainId).toBe(31337)
      expect(await chain.provider.getBalance(chain.signers[69]!.address)).toBe(10n ** 22n)
      expect(new Wallet(chain.privateKeyOf(69)).address).toBe(chain.signers[69]!.address)
      const before = (await chain.provider.getBlock('latest'))!.timestamp
      await chain.increaseTime(3600)
      expect((await chain.provider.getBlock('latest'))!.timestamp).toBeGreaterThanOrEqual(before + 3600)
      const fresh = Wallet.createRandom()
      await chain.setBalance(fresh.address, 5n)
      expect(await chain.provider.getBalance(fresh.address)).toBe(5n)
    } finally {
      await chain.stop()
    }
  })

  it('rejects an impossible account count with a typed error', async () => {
    await expect(startEmbeddedChain({ accounts: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
  })

  it('serves the chain over HTTP JSON-RPC on 127.0.0.1, usable by any ethers client', async () => {
    const served = await serveEmbeddedChain({ port: 0, accounts: 3 })
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      // cacheTimeout -1: automine answers instantly, and a cached nonce would be stale by the next transaction.
      const provider = new JsonRpcProvider(served.url, undefined, { staticNetwork: true, pollingInterval: 20, cacheTimeout: -1 })
      const wallet = new Wallet(served.chain.privateKeyOf(1), provider)
      const { aggregator, aggregatorAddress } = await deployConsortium(wallet)
      const remote = connectAggregator(aggregatorAddress, provider)
      expect(await remote.getFunction('governance')()).toBe(wallet.address)
      const commitment = computeCommitment({ updateHash: '0x' + '01'.repeat(32), sampleCount: 5n, salt: '0x' + '02'.repeat(32), hospital: wallet.address, taskId: 1n, round: 1n })
      expect(await aggregator.getFunction('commitmentOf')('0x' + '01'.repeat(32), 5n, '0x' + '02'.repeat(32), wallet.address, 1n, 1n)).toBe(commitment)
      // Batches and errors follow JSON-RPC 2.0.
      const response = await fetch(served.url, {
        method: 'POST',
        body: JSON.stringify([
          { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] },
          { jsonrpc: '2.0', id: 2, method: 'no_such_method', params: [] },
        ]),
      })
      const [ok, failed] = (await response.json()) as [{ id: number; result: string }, { id: number; error: { code: number } }]
      expect(ok).toMatchObject({ id: 1, result: '0x7a69' })
      expect(failed.id).toBe(2)
      expect(typeof failed.error.code).toBe('number')
      const bad = await fetch(served.url, { method: 'POST', body: '{not json' })
      expect(((await bad.json()) as { error: { code: number } }).error.code).toBe(-32700)
      provider.destroy()
    } finally {
      await served.close()
    }
  })
})
