import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { SimulationCoordinator } from '../../src/simulate/coordinator.js'
import { processCoordinator, type CoordinatorChild } from '../../src/simulate/process-coordinator.js'
import { runSimulation } from '../../src/simulate/run-simulation.js'

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

  it('runs a chain and one daemon per hospital as child processes, finalizes every round and leaves no process behind', async () => {
    const coordinator = processCoordinator({ outDir: await newDir() })
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
    }
    expect(summary.final.modelCid).toMatch(/^bafkrei/)

    const children = coordinator.children()
    // The chain and 3 daemons (the `node init` runs end on their own).
    expect(children.map((c) => c.name).sort()).toEqual(['chain', ...ids].sort())
    expectAllGone(children)
  }, 120_000)

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
