import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TaskStatus } from '../../src/audit/task-status.js'
import { runLiveConsortium, type LiveConsortium } from '../audit/live-consortium.js'
import { simulateRun } from '../audit/run-fixture.js'
import { fedchain, lastJson } from './run-cli.js'

let run: string
let live: LiveConsortium

beforeAll(async () => {
  run = await simulateRun()
  live = await runLiveConsortium()
}, 180_000)

afterAll(async () => {
  await rm(run, { recursive: true, force: true })
  await live?.served.close()
  if (live !== undefined) await rm(live.blobDir, { recursive: true, force: true })
})

describe('fedchain status', () => {
  it('shows a run’s rounds, hospitals and accuracy', async () => {
    const human = await fedchain('status', '--run', run)
    expect(human.error).toBeUndefined()
    expect(human.stdout).toMatch(/completed: 2 rounds finalized/)
    expect(human.stdout).toMatch(/^hospital\s+index\s+accepted\s+rejected\s+absent\s+reputation/m)

    const { stdout } = await fedchain('status', '--run', run, '--json')
    const status = lastJson<TaskStatus>(stdout)
    expect(status.rounds.map((r) => r.status)).toEqual(['finalized', 'finalized'])
    expect(status.rounds.every((r) => r.accuracy !== null && r.finalizeTx !== null)).toBe(true)
    expect(status.hospitals).toHaveLength(3)
    // Each hospital is named by its simulation id as well as its chain address.
    expect(status.hospitals.every((h) => h.id !== null && h.accepted === 2)).toBe(true)
  })

  it('reads a live chain and shows the contract’s own reputation and claimable beside the recomputed ones', async () => {
    const { stdout, error } = await fedchain('status', '--rpc', live.served.url, '--contract', live.aggregatorAddress, '--json')
    expect(error).toBeUndefined()
    const status = lastJson<TaskStatus>(stdout)
    expect(status.hospitals).toHaveLength(4)
    for (const h of status.hospitals) {
      expect(h.live).toEqual({ reputationScoreWad: h.reputationWad, claimable: h.claimable })
    }
    const human = await fedchain('status', '--rpc', live.served.url, '--contract', live.aggregatorAddress, '--task', '1')
    expect(human.stdout).toContain('live reputation')
    expect(human.stdout).not.toContain('≠')
  })

  it('names the flag a live chain needs', async () => {
    const { error } = await fedchain('status', '--rpc', live.served.url)
    expect(error).toMatchObject({ code: 'AUDIT_OPTIONS_INVALID', shortMessage: '--rpc needs --contract <address>' })
  })
})
