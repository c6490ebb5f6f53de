import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TaskManifest } from '../../src/config/index.js'
import { PrivacyTargetUnreachableError } from '../../src/daemon/errors.js'
import { createLocalTrainer, privacyLedgerDir, standardizeForTask } from '../../src/daemon/local-trainer.js'
import { buildNetwork, ensureBackend, initParams, parseDatasetSchema, SeededRandom } from '../../src/learning/index.js'
import type { PrivacyCharge } from '../../src/round/index.js'

const EXAMPLE = new URL('../../../../examples/breast-cancer/', import.meta.url)
const WAD = 10n ** 18n

describe('standardizeForTask', () => {
  const schema = { version: 1 as const, name: 't', task: 'binary-classification' as const, features: ['a', 'b'], label: { column: 'y', classes: ['0', '1'] } }
  const base: TaskManifest = { format: 'fedchain-task', version: 1, model: { kind: 'logistic-regression', inputs: 2, classes: 2 }, schema, training: { epochs: 1, batchSize: 8, learningRate: 0.1, clipNorm: 1 } }
  // Two hospitals hold the row (10, 100); the second also holds rows from elsewhere in the space.
  const rows = (values: number[][]) => ({ features: Float32Array.from(values.flat()), labels: Int32Array.from(values.map(() => 0)), numFeatures: 2, numClasses: 2 })
  const first = rows([[10, 100], [12, 90], [8, 110]])
  const second = rows([[10, 100], [40, 400], [50, 500]])
  const shared = (data: { features: Float32Array }) => [data.features[0], data.features[1]]

  it("maps a raw value to the same model input at every hospital under the task's scaling", () => {
    const manifest = { ...base, standardization: { mean: [20, 200], std: [10, 100] } }
    expect(shared(standardizeForTask(first, manifest))).toEqual([-1, -1])
    expect(shared(standardizeForTask(second, manifest))).toEqual([-1, -1])
  })

  it("uses each hospital's own statistics without one, so the same row differs between hospitals", () => {
    expect(shared(standardizeForTask(first, base))).not.toEqual(shared(standardizeForTask(second, base)))
  })
})

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
    expect(first.epsilonAfterRelease).toBeGreaterThan(0)
    expect(first.epsilonAfterRelease).toBeLessThan(4)
    await trainer.chargeRelease(1, first.privacyCharge as PrivacyCharge)
    expect(trainer.epsilonSpent()).toBeCloseTo(first.epsilonAfterRelease as number, 12)

    // A restarted node reads the ledger from its data dir.
    const restarted = await createLocalTrainer(init)
    expect(restarted.epsilonSpent()).toBeCloseTo(first.epsilonAfterRelease as number, 12)
    const second = await restarted.train(global, 2)
    expect(second.epsilonAfterRelease).toBeGreaterThan(first.epsilonAfterRelease as number)
    expect(second.epsilonAfterRelease).toBeLessThanOrEqual(4)
    await restarted.chargeRelease(2, second.privacyCharge as PrivacyCharge)
    await expect(restarted.train(global, 3)).rejects.toMatchObject({ name: 'PrivacyBudgetExceededError', shortMessage: expect.stringMatching(/^task 7: this step would raise ε/) })
    await expect(restarted.chargeRelease(3, second.privacyCharge as PrivacyCharge)).rejects.toMatchObject({ name: 'PrivacyBudgetExceededError', shortMessage: expect.stringMatching(/^task 7: /) })
    expect(JSON.parse(await readFile(join(privacyLedgerDir(dir), 'task-7.json'), 'utf8'))).toMatchObject({ format: 'fedchain-privacy-ledger' })
  })

  it('charges only released updates: training spends nothing, and a release is charged once per round, across restarts', async () => {
    const network = buildNetwork(manifest.model)
    const init = { csvPath: fileURLToPath(new URL('data/wdbc.csv', EXAMPLE)), manifest, network, privacy: { epsilonWad: 2n * WAD, deltaWad: WAD / 100_000n, totalRounds: 1 }, dataDir: dir, taskId: 9n }
    const global = initParams(network, new SeededRandom(1))
    const trainer = await createLocalTrainer(init)
    // Rounds 1 and 2 aborted before this node shared: its updates never left, and the budget
    // (planned for one round) still allows the round that counts.
    await trainer.train(global, 1)
    await trainer.train(global, 2)
    expect(trainer.epsilonSpent()).toBe(0)
    const third = await trainer.train(global, 3)
    const charge = third.privacyCharge as PrivacyCharge
    await trainer.chargeRelease(3, charge)
    // Killed after the charge and before the share: the restarted node charges the share once.
    const restarted = await createLocalTrainer(init)
    await restarted.chargeRelease(3, charge)
    const ledger = JSON.parse(await readFile(join(privacyLedgerDir(dir), 'task-9.json'), 'utf8')) as { entries: { label: string }[] }
    expect(ledger.entries.map((entry) => entry.label)).toEqual(['task 9 round 3'])
    expect(restarted.epsilonSpent()).toBeCloseTo(third.epsilonAfterRelease as number, 12)
    expect(restarted.epsilonSpent()).toBeLessThanOrEqual(2)
  })

  it('names the task, its ε and the fix when no noise multiplier meets the target, and charges nothing', async () => {
    const network = buildNetwork(manifest.model)
    const trainer = await createLocalTrainer({ csvPath: fileURLToPath(new URL('data/wdbc.csv', EXAMPLE)), manifest, network, privacy: { epsilonWad: WAD / 100n, deltaWad: WAD / 100_000n, totalRounds: 3 }, dataDir: dir, taskId: 10n })
    const global = initParams(network, new SeededRandom(1))
    const error = await trainer.train(global, 1).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PrivacyTargetUnreachableError)
    expect(error).toMatchObject({ code: 'DP_TARGET_UNREACHABLE' })
    expect((error as PrivacyTargetUnreachableError).shortMessage).toMatch(/^task 10: its DP budget ε = 0\.01 \(δ = 0\.00001\) is unreachable on this node: 27 DP-SGD steps .* spend ε = 0\.10\d\d even at noise multiplier 1000000$/)
    expect((error as PrivacyTargetUnreachableError).hint).toContain('create a new task with a larger --dp-epsilon')
    // Planned once: the next round fails at once with the same error.
    await expect(trainer.train(global, 2)).rejects.toBe(error)
    expect(trainer.epsilonSpent()).toBe(0)
  })

  it('trains without DP when the task has no budget', async () => {
    const network = buildNetwork(manifest.model)
    const trainer = await createLocalTrainer({ csvPath: fileURLToPath(new URL('data/wdbc.csv', EXAMPLE)), manifest, network, privacy: { epsilonWad: 0n, deltaWad: 0n, totalRounds: 2 }, dataDir: dir, taskId: 8n })
    const update = await trainer.train(initParams(network, new SeededRandom(1)), 1)
    expect(update.privacyCharge).toBeUndefined()
    expect(trainer.epsilonSpent()).toBe(0)
    expect(trainer.evaluate(update.delta).examples).toBe(569)
  })

  it('names the node’s config.json when the CSV it trains on is gone', async () => {
    const network = buildNetwork(manifest.model)
    const init = { csvPath: join(dir, 'moved.csv'), manifest, network, privacy: { epsilonWad: 0n, deltaWad: 0n, totalRounds: 1 }, dataDir: dir, taskId: 3n }
    await expect(createLocalTrainer(init)).rejects.toMatchObject({ code: 'DATA_FILE_EMPTY', hint: expect.stringContaining('"data" in the node\'s config.json') })
  })
})
