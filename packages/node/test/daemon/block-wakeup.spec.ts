import { setTimeout as sleep } from 'node:timers/promises'
import type { JsonRpcProvider } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectRpc } from '../../src/chain/provider.js'
import { DaemonStoppedError } from '../../src/daemon/errors.js'
import { MIN_STEP_GAP_MS, watchBlocks, type BlockWakeup } from '../../src/daemon/block-wakeup.js'
import { startDevChain, type DevChain } from '../../src/daemon/index.js'

describe('watchBlocks (the node loop wakes on new blocks)', () => {
  let chain: DevChain
  let provider: JsonRpcProvider
  let blocks: BlockWakeup
  const mine = () => provider.send('evm_mine', [])
  // connectRpc's provider looks for new blocks every 250 ms.
  const seen = () => sleep(600)

  beforeAll(async () => {
    chain = await startDevChain({ port: 0, accounts: 1 })
    provider = await connectRpc({ url: chain.file.rpc })
    blocks = await watchBlocks(provider)
    await seen()
  }, 30_000)

  afterAll(async () => {
    await blocks?.stop()
    provider?.destroy()
    await chain?.stop()
  })

  it('ends a long wait when a block arrives', async () => {
    const started = Date.now()
    const waiting = blocks.wait(20_000, new AbortController().signal)
    await sleep(100)
    await mine()
    await waiting
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('returns after the short gap when a block arrived while the loop was busy', async () => {
    await mine()
    await seen()
    const started = Date.now()
    await blocks.wait(20_000, new AbortController().signal)
    const waited = Date.now() - started
    expect(waited).toBeGreaterThanOrEqual(MIN_STEP_GAP_MS - 5)
    expect(waited).toBeLessThan(5_000)
  })

  it('waits out the interval without blocks, and stops on abort', async () => {
    const started = Date.now()
    await blocks.wait(400, new AbortController().signal)
    expect(Date.now() - started).toBeGreaterThanOrEqual(395)
    const controller = new AbortController()
    const waiting = blocks.wait(20_000, controller.signal)
    controller.abort()
    await expect(waiting).rejects.toBeInstanceOf(DaemonStoppedError)
  })
})
