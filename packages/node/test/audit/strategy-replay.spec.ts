import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { auditTask } from '../../src/audit/audit-task.js'
import { prepareAudit } from '../../src/audit/prepare-audit.js'
import { protocolCoordinator } from '../../src/simulate/protocol-coordinator.js'
import { runSimulation } from '../../src/simulate/run-simulation.js'
import type { SimulationOptions } from '../../src/simulate/options.js'

const dirs: string[] = []

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
})

async function auditedRun(options: SimulationOptions) {
  const outDir = await mkdtemp(join(tmpdir(), 'fedchain-audit-strategy-'))
  dirs.push(outDir)
  const summary = await runSimulation({ options, coordinator: protocolCoordinator({ outDir }) })
  await writeFile(join(outDir, 'summary.json'), JSON.stringify(summary))
  return { summary, report: await auditTask(await prepareAudit({ run: outDir })) }
}

describe('aggregate replay across strategies', () => {
  it('replays a stateful server optimizer (FedAdam moments) round after round', async () => {
    const { report } = await auditedRun({ source: { example: 'breast-cancer' }, nodes: 3, rounds: 3, seed: 5, strategy: 'fedadam' })
    expect(report.strategy).toBe('fedadam')
    expect(report.mismatches).toEqual([])
    expect(report.rounds.every((r) => r.recomputedSha256 === r.modelSha256)).toBe(true)
  }, 120_000)

  it('replays the verifier’s reputation weighting across rejections and forgiveness', async () => {
    const { summary, report } = await auditedRun({ source: { example: 'breast-cancer' }, nodes: 5, rounds: 6, seed: 1, strategy: 'reputation', dp: { epsilon: 3, delta: 1e-5 }, malicious: { fraction: 0.4, attack: 'sign-flip' } })
    // A hospital rejected in early rounds and accepted later carries less weight than the others:
    // only a replay of the verifier's reputation gets those aggregates right.
    const rejectedEarly = summary.rounds[0]?.rejected ?? []
    expect(rejectedEarly.length).toBeGreaterThan(0)
    expect(summary.rounds.at(-1)?.accepted).toEqual(expect.arrayContaining([...rejectedEarly]))
    expect(report.mismatches).toEqual([])
  }, 120_000)
})
