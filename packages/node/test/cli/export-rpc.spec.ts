import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256Hex } from '../../src/protocol/participant.js'
import { runLiveConsortium, type LiveConsortium } from '../audit/live-consortium.js'
import { fedchain, lastJson } from './run-cli.js'

let live: LiveConsortium

beforeAll(async () => {
  live = await runLiveConsortium()
}, 120_000)

afterAll(async () => {
  await live?.served.close()
  if (live !== undefined) await rm(live.blobDir, { recursive: true, force: true })
})

describe('fedchain export --rpc', () => {
  it('writes the last finalized model of a live chain, checked against RoundFinalized', async () => {
    const out = join(live.blobDir, 'final.bin')
    const { stdout, error } = await fedchain('export', '--rpc', live.served.url, '--contract', live.aggregatorAddress, '--blobs', live.blobDir, '--out', out, '--json')
    expect(error).toBeUndefined()
    const written = lastJson<{ round: number; modelSha256: string; shapes: number[][] }>(stdout)
    expect(written.round).toBe(3)
    expect(written.shapes).toEqual([[3, 2], [2]])
    expect(sha256Hex(new Uint8Array(await readFile(out)))).toBe(written.modelSha256)
  })

  it('refuses an aborted round and names the finalized ones', async () => {
    const { error } = await fedchain('export', '--rpc', live.served.url, '--contract', live.aggregatorAddress, '--blobs', live.blobDir, '--round', '2')
    expect(error).toMatchObject({ code: 'EXPORT_MODEL_UNVERIFIED', shortMessage: 'round 2 of task 1 was aborted: it has no global model', hint: 'export one of the finalized rounds: 1, 3' })
  })

  it('needs --blobs for a live chain', async () => {
    const { error } = await fedchain('export', '--rpc', live.served.url, '--contract', live.aggregatorAddress)
    expect(error).toMatchObject({ code: 'AUDIT_OPTIONS_INVALID' })
  })
})
