import { execFile } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ATTACK_NAMES } from '../../src/aggregation/index.js'
import { runSimulation } from '../../src/simulate/index.js'

const run = promisify(execFile)
const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))

describe('in-memory simulation', () => {
  it.each(ATTACK_NAMES)('verification rejects every %s update in a small IID consortium', async (attack) => {
    const summary = await runSimulation({
      options: { source: { example: 'breast-cancer' }, nodes: 6, rounds: 3, partition: { kind: 'iid' }, malicious: { fraction: 0.34, attack }, seed: 3 },
    })
    expect(summary.attack.maliciousNodes).toHaveLength(2)
    expect(summary.attack.submittedMalicious).toBe(6)
    expect(summary.attack.rejectedMalicious).toBe(6)
    expect(summary.attack.rejectedHonest).toBeLessThanOrEqual(1)
    expect(summary.final.accuracy).toBeGreaterThan(0.9)
  })

  it('two sign-flippers among five label-skewed hospitals cost the model nothing', async () => {
    // Seed 1 gives one honest hospital 211 of 397 records: it honestly moves over 3× the median
    // and must be kept through its accepted-norm history, or the run loses 2–5 pp.
    const options = { source: { example: 'breast-cancer' as const }, nodes: 5, rounds: 10, seed: 1 }
    const [attacked, clean] = await Promise.all([
      runSimulation({ options: { ...options, malicious: { fraction: 0.3, attack: 'sign-flip' } } }),
      runSimulation({ options: { ...options, verify: true } }),
    ])
    expect(attacked.attack.maliciousNodes).toHaveLength(2)
    expect(attacked.attack.rejectedMalicious).toBe(attacked.attack.submittedMalicious)
    expect(attacked.attack.rejectedHonest).toBe(0)
    expect(clean.attack.rejectedHonest).toBe(0)
    expect(attacked.final.accuracy).toBeGreaterThanOrEqual(clean.final.accuracy - 0.02)
  })

  it('repeat offenders lose reputation and are rejected without verification', async () => {
    const summary = await runSimulation({
      options: { source: { example: 'breast-cancer' }, nodes: 6, rounds: 4, partition: { kind: 'iid' }, malicious: { fraction: 0.34, attack: 'sign-flip' }, seed: 3 },
    })
    const malicious = new Set(summary.attack.maliciousNodes)
    const lowReputation = summary.rounds.flatMap((r) => Object.entries(r.rejections).filter(([, why]) => why === 'low-reputation').map(([id]) => id))
    expect(lowReputation.length).toBeGreaterThan(0)
    expect(lowReputation.every((id) => malicious.has(id))).toBe(true)
  })

  it('federated training on label-skewed hospitals comes close to the centralized baseline', async () => {
    const summary = await runSimulation({ options: { source: { example: 'breast-cancer' }, nodes: 5, rounds: 10, seed: 2 } })
    expect(summary.rounds).toHaveLength(10)
    expect(summary.baseline.centralizedAccuracy).toBeGreaterThan(0.93)
    expect(summary.final.accuracy).toBeGreaterThan(summary.baseline.centralizedAccuracy - 0.03)
    expect(summary.final.epsilonMax).toBeNull()
    expect(summary.final.modelSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(new Set(summary.rounds[0]?.accepted)).toEqual(new Set(summary.nodes.map((n) => n.id)))
  })

  it('with DP every hospital stays within its ε', async () => {
    const summary = await runSimulation({ options: { source: { example: 'breast-cancer' }, nodes: 3, rounds: 3, dp: { epsilon: 4, delta: 1e-5 }, partition: { kind: 'iid' } } })
    const last = summary.rounds.at(-1)
    expect(Object.keys(last?.epsilon ?? {})).toHaveLength(3)
    for (const eps of Object.values(last?.epsilon ?? {})) expect(eps).toBeLessThanOrEqual(4)
    expect(summary.final.epsilonMax).toBeGreaterThan(3.9)
  })

  it('is reproducible for a seed', async () => {
    const options = { source: { example: 'digits' as const }, nodes: 4, rounds: 2, seed: 9 }
    const [a, b] = await Promise.all([runSimulation({ options }), runSimulation({ options })])
    expect(a.final.modelSha256).toBe(b.final.modelSha256)
  })

  it('fedchain simulate --json prints the summary as its last line and writes summary.json', async () => {
    const out = await mkdtemp(join(tmpdir(), 'fedchain-sim-'))
    const { stdout } = await run(process.execPath, [main, 'simulate', '--coordinator', 'memory', '--example', 'breast-cancer', '--nodes', '3', '--rounds', '2', '--json', '--out', out])
    const printed = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { rounds: unknown[]; final: { accuracy: number } }
    expect(printed.rounds).toHaveLength(2)
    const written = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as unknown
    expect(written).toEqual(printed)
  })

  it('multi-krum discards the assumed Byzantine share, which --byzantine sets', async () => {
    const options = { source: { example: 'breast-cancer' as const }, nodes: 10, rounds: 2, partition: { kind: 'iid' as const }, strategy: 'multi-krum' }
    const [assumed, none] = await Promise.all([runSimulation({ options }), runSimulation({ options: { ...options, byzantineFraction: 0 } })])
    expect(assumed.config['byzantineFraction']).toBe(0.3)
    expect(assumed.rounds.map((r) => r.accepted.length)).toEqual([7, 7])
    expect(none.config['byzantineFraction']).toBe(0)
    expect(none.rounds.map((r) => r.accepted.length)).toEqual([10, 10])
    const failure = await run(process.execPath, [main, 'simulate', '--byzantine', '0.5']).catch((e: unknown) => e as { code: number; stderr: string })
    expect('code' in failure && failure.code).toBe(1)
    expect(failure.stderr).toContain('--byzantine must be in [0, 0.5)')
  })

  it('fails with a hint on a bad flag', async () => {
    const failure = await run(process.execPath, [main, 'simulate', '--partition', 'dirichlet:0']).catch((e: unknown) => e as { code: number; stderr: string })
    expect('code' in failure && failure.code).toBe(1)
    expect(failure.stderr).toContain('--partition must be')
    expect(failure.stderr).toContain('hint:')
  })
})
