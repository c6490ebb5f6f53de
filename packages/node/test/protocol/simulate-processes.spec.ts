import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { AuditReport } from '../../src/audit/audit-task.js'
import { runBlobDirs } from '../../src/audit/run-inputs.js'
import { createStrategy } from '../../src/aggregation/registry.js'
import type { RoundContext, SimulationCoordinator } from '../../src/simulate/coordinator.js'
import { processCoordinator, type CoordinatorChild } from '../../src/simulate/process-coordinator.js'
import type { ChainRecord } from '../../src/simulate/run-record.js'
import { runSimulation } from '../../src/simulate/run-simulation.js'
import { fedchain, lastJson } from '../cli/run-cli.js'

const options = { source: { example: 'breast-cancer' as const }, nodes: 3, rounds: 2, seed: 5 }

/** Whether a process with this pid still exists (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function expectAllGone(children: readonly CoordinatorChild[]): void {
  for (const child of children) {
    expect(child.exited, child.name).toBe(true)
    expect(alive(child.pid as number), child.name).toBe(false)
  }
}

describe('simulate --processes', () => {
  const dirs: string[] = []
  const newDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fedchain-processes-'))
    dirs.push(dir)
    return dir
  }
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  })

  it('runs a chain and one daemon per hospital as child processes, finalizes every round, leaves no process behind and an auditable run', async () => {
    const outDir = await newDir()
    const coordinator = processCoordinator({ outDir })
    const summary = await runSimulation({ options, coordinator })

    expect(summary.config['coordinator']).toBe('processes')
    expect(summary.rounds).toHaveLength(2)
    const ids = summary.nodes.map((n) => n.id).sort()
    for (const round of summary.rounds) {
      expect(round.finalizeTx).toMatch(/^0x[0-9a-f]{64}$/)
      expect(round.gasUsed).toBeGreaterThan(0)
      // Every daemon's update reached the committee; the committee may reject an outlier.
      expect([...round.accepted, ...round.rejected].sort()).toEqual(ids)
      expect(round.accepted.length).toBeGreaterThanOrEqual(2)
      // The finalized model came from the nodes' training, so it beats chance on the test split.
      expect(round.accuracy).toBeGreaterThan(0.6)
      // Phases read from the daemons' logs: sending transactions and checking updates take time.
      expect(round.ms.commit).toBeGreaterThan(0)
      expect(round.ms.verify).toBeGreaterThan(0)
    }
    expect(summary.final.modelCid).toMatch(/^bafkrei/)

    const children = coordinator.children()
    // The chain and 3 daemons (the `node init` runs end on their own).
    expect(children.map((c) => c.name).sort()).toEqual(['chain', ...ids].sort())
    expectAllGone(children)

    // `fedchain audit --run` recomputes every round's aggregate from what the run left behind: the
    // chain record (read from the chain child before it stopped), the auditor key, the daemons' blob
    // stores and summary.json (written here as `fedchain simulate` writes it).
    const record = JSON.parse(await readFile(join(outDir, 'chain', 'record.json'), 'utf8')) as ChainRecord
    expect(record.aggregationIds).toBe('address')
    expect(record.hospitals.map((h) => h.id).sort()).toEqual(ids)
    expect(await readFile(join(outDir, 'auditor.key'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/)
    expect(await runBlobDirs(outDir)).toEqual(ids.map((id) => join(outDir, 'nodes', id, 'blobs')))
    await writeFile(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`)

    const human = await fedchain('audit', '--run', outDir)
    expect(human.error).toBeUndefined()
    expect(human.stdout).toContain('no mismatch: every finalized model is the fedavg aggregate of its accepted updates')
    const json = await fedchain('audit', '--run', outDir, '--json')
    expect(json.error).toBeUndefined()
    const report = lastJson<AuditReport>(json.stdout)
    expect(report.ok).toBe(true)
    expect(report.mismatches).toEqual([])
    expect(report.strategy).toBe('fedavg')
    expect(report.checked.aggregates).toBe(2)
    expect(report.rounds).toHaveLength(2)
    for (const [i, round] of report.rounds.entries()) {
      expect(round.status).toBe('finalized')
      expect(round.opened).toBe(ids.length)
      expect(round.recomputedSha256).toMatch(/^(0x)?[0-9a-f]{64}$/)
      expect(round.recomputedSha256?.replace(/^0x/, '')).toBe(round.modelSha256?.toLowerCase().replace(/^0x/, ''))
      expect(round.accepted).toHaveLength(summary.rounds[i]?.accepted.length as number)
    }
  }, 120_000)

  it('--kill: SIGKILLs a daemon after it committed, starts a new one on its data dir, and the round still finalizes with its update', async () => {
    const coordinator = processCoordinator({ outDir: await newDir(), kills: [{ node: 1, round: 1 }] })
    const summary = await runSimulation({ options, coordinator })
    const victim = summary.nodes.map((n) => n.id)[1] as string
    const [first, second] = summary.rounds
    // The new daemon resumed from the persisted round state: it shared the update it had committed
    // to (a second commitment would have reverted), and the committee weighed it.
    expect(first?.faults).toEqual([{ node: victim, killedAfter: 'commit', resumed: true }])
    expect(first?.finalizeTx).toMatch(/^0x[0-9a-f]{64}$/)
    expect([...(first?.accepted ?? []), ...(first?.rejected ?? [])]).toContain(victim)
    expect(second?.faults).toBeUndefined()
    expect(second?.finalizeTx).toMatch(/^0x[0-9a-f]{64}$/)
    // The chain, three daemons and the victim's second daemon; all gone after the run.
    const children = coordinator.children()
    expect(children.filter((c) => c.name === victim)).toHaveLength(2)
    expect(children).toHaveLength(5)
    expectAllGone(children)
  }, 120_000)

  it('refuses a strategy other than the daemons’ FedAvg before touching the cluster', async () => {
    const coordinator = processCoordinator({ outDir: await newDir() })
    const context = { round: 1, rounds: 1, strategy: createStrategy({ name: 'krum', participants: 3 }) } as unknown as RoundContext
    await expect(coordinator.runRound(context)).rejects.toMatchObject({ code: 'LEARNING_INVALID_ARGUMENT', shortMessage: expect.stringMatching(/^--strategy must be fedavg with --processes/) })
    expect(coordinator.children()).toEqual([])
  })

  it('fails the round when a daemon dies and still stops every other child', async () => {
    const inner = processCoordinator({ outDir: await newDir() })
    const coordinator: SimulationCoordinator = {
      name: inner.name,
      start: (context) => inner.start?.(context) ?? Promise.resolve(),
      runRound: async (context) => {
        const victim = inner.children().find((c) => c.name !== 'chain')
        process.kill(victim?.pid as number, 'SIGKILL')
        return inner.runRound(context)
      },
      stop: () => inner.stop?.() ?? Promise.resolve(),
    }
    await expect(runSimulation({ options: { ...options, rounds: 1 }, coordinator })).rejects.toMatchObject({ code: 'PROCESS_EXITED' })
    expect(inner.children()).toHaveLength(4)
    expectAllGone(inner.children())
  }, 120_000)
})
