import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchChainHistory } from '../../src/audit/chain-history.js'
import { decodeHistory } from '../../src/audit/decode-events.js'
import { taskStatus } from '../../src/audit/task-status.js'
import { runLiveConsortium, type LiveConsortium } from './live-consortium.js'

let live: LiveConsortium

beforeAll(async () => {
  live = await runLiveConsortium()
}, 120_000)

afterAll(async () => {
  await live?.served.close()
  if (live !== undefined) await rm(live.blobDir, { recursive: true, force: true })
})

describe('chain history over JSON-RPC', () => {
  it('decodes every share and recovers its salt from the transaction input', async () => {
    const history = await fetchChainHistory({ rpc: live.served.url, contract: live.aggregatorAddress })
    const { events, undecoded } = decodeHistory(history)
    expect(undecoded).toEqual([])
    const shares = events.filter((e) => e.name === 'UpdateShared')
    expect(shares).toHaveLength(11)
    for (const share of shares) expect(share.salt).toBe(live.salts.get(`${share.round}:${share.hospital.toLowerCase()}`))
  })
})

describe('taskStatus', () => {
  it('recomputes reputation and claimable rewards exactly as the contract stores them', async () => {
    const history = await fetchChainHistory({ rpc: live.served.url, contract: live.aggregatorAddress })
    const status = await taskStatus({ history, taskId: live.taskId })
    expect(status.rounds.map((r) => [r.status, r.accepted.length, r.rejected.length, r.absent.length])).toEqual([
      ['finalized', 3, 1, 0],
      ['aborted', 0, 0, 0],
      ['finalized', 2, 1, 1],
    ])
    expect(status.rounds.map((r) => r.round)).toEqual([1, 2, 3])
    expect(status.finalizedRounds).toBe(2)
    expect(status.completed).toBe(true)
    expect(status.hospitals.map((h) => [h.accepted, h.rejected, h.absent])).toEqual([[2, 0, 0], [2, 0, 0], [1, 1, 0], [0, 1, 1]])
    for (const [index, h] of status.hospitals.entries()) {
      const client = live.hospitals[index]
      if (client === undefined) throw new Error('missing hospital')
      expect(h.reputationWad).toBe((await client.reputationScore(index)).toString())
      expect(h.claimable).toBe((await client.claimable(client.address)).toString())
    }
    // Hospital 0 claimed, so what it can still claim is zero although the task credited it.
    expect(status.hospitals[0]?.claimable).toBe('0')
    expect(BigInt(status.hospitals[0]?.rewardsTask ?? 0)).toBeGreaterThan(0n)
    // ε is the last cumulative value each hospital reported, in WAD.
    expect(status.hospitals.map((h) => h.epsilonWad)).toEqual([`${15n * 10n ** 17n}`, `${15n * 10n ** 17n + 1n}`, `${15n * 10n ** 17n + 2n}`, `${10n ** 18n + 3n}`])
  })
})
