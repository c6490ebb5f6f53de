import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TaskManifest } from '../../src/config/index.js'
import { createLocalTrainer, privacyLedgerDir } from '../../src/daemon/local-trainer.js'
import { buildNetwork, ensureBackend, initParams, parseDatasetSchema, SeededRandom } from '../../src/learning/index.js'

const EXAMPLE = new URL('../../../../examples/breast-cancer/', import.meta.url)
const WAD = 10n ** 18n

describe('local trainer with the task DP budget', () => {
  let dir: string
  let manifest: TaskManifest
  beforeAll(async () => {
    await ensureBackend()
    dir = await mkdtemp(join(tmpdir(), 'fedchain-trainer-'))
    const schema = parseDatasetSchema(JSON.parse(await readFile(new URL('schema.json', EXAMPLE), 'utf8')))
    manifest = { format: 'fedchain-task', version: 1, model: { kind: 'logistic-regression', inputs: schema.features.length, classes: 2 }, schema, training: { epochs: 1, batchSize: 64, learningRate: 0.5, clipNorm: 1 } }
  })
  afterAll(async () => rm(dir, { recursive: true, force: true }))

  it('spends the budget over the planned rounds, persists it across restarts and refuses to overspend', async () => {
    const network = buildNetwork(manifest.model)
    const init = { csvPath: fileURLToPath(new URL('data/wdbc.csv', EXAMPLE)), manifest, network, privacy: { epsilonWad: 4n * WAD, deltaWad: WAD / 100_000n, totalRounds: 2 }, dataDir: dir, taskId: 7n }
    const global = initParams(network, new SeededRandom(1))
    const trainer = await createLocalTrainer(init)
    const first = await trainer.train(global, 1)
    expect(first.examples).toBe(569)
    expect(first.epsilonSpent).toBeGreaterThan(0)
    expect(first.epsilonSpent).toBeLessThan(4)

    // A restarted node reads the ledger from its data dir.
    const restarted = await createLocalTrainer(init)
    expect(restarted.epsilonSpent()).toBeCloseTo(first.epsilonSpent as number, 12)
    const second = await restarted.train(global, 2)
    expect(second.epsilonSpent).toBeGreaterThan(first.epsilonSpent as number)
    expect(second.epsilonSpent).toBeLessThanOrEqual(4)
    await expect(restarted.train(global, 3)).rejects.toMatchObject({ name: 'PrivacyBudgetExceededError' })
    expect(JSON.parse(await readFile(join(privacyLedgerDir(dir), 'task-7.json'), 'utf8'))).toMatchObject({ format: 'fedchain-privacy-ledger' })
  })

  it('trains without DP when the task has no budget', async () => {
    const network = buildNetwork(manifest.model)
    const trainer = await createLocalTrainer({ csvPath: fileURLToPath(new URL('data/wdbc.csv', EXAMPLE)), manifest, network, privacy: { epsilonWad: 0n, deltaWad: 0n, totalRounds: 2 }, dataDir: dir, taskId: 8n })
    const update = await trainer.train(initParams(network, new SeededRandom(1)), 1)
    expect(update.epsilonSpent).toBeUndefined()
    expect(trainer.epsilonSpent()).toBe(0)
    expect(trainer.evaluate(update.delta).examples).toBe(569)
  })
})
