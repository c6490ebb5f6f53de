import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { connectAggregator, findRoundOutcome, WAD } from '@fedchain/aggregator-contract'
import { Wallet, type Contract } from 'ethers'
import { connectRpc } from '../../src/chain/provider.js'
import { initNode } from '../../src/config/index.js'
import { encodeTaskManifest, taskManifestHash } from '../../src/config/task-manifest.js'
import { createLogger, createTask, launchRound, startDevChain, startNodeDaemon, type DevChain, type NodeDaemon } from '../../src/daemon/index.js'
import { privacyLedgerDir } from '../../src/daemon/local-trainer.js'
import { buildNetwork, initParams, parseDatasetSchema, SeededRandom, serializeParams, type DatasetSchema } from '../../src/learning/index.js'
import { createAggregatorClient, epsilonToWad, sha256Hex, type AggregatorClient } from '../../src/protocol/index.js'
import { RoundStateStore } from '../../src/round/index.js'
import { blobStorePath, createFsBlobStore, type BlobStore } from '../../src/storage/index.js'

const run = promisify(execFile)
const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))
const EXAMPLE = new URL('../../../../examples/breast-cancer/', import.meta.url)
const CSV = fileURLToPath(new URL('data/wdbc.csv', EXAMPLE))
const TIMING = { commitDuration: 3, shareDuration: 2, verifyDuration: 2 }

interface LogLine {
  readonly level: string
  readonly msg: string
  readonly taskId?: string
  readonly error?: string
  readonly code?: string
  readonly hint?: string
}

/** `fedchain …args` as a child process; its exit code and output (killed after `timeoutMs`). */
function fedchain(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 40_000): Promise<{ code: number | null; stderr: string }> {
  return run(process.execPath, [main, ...args], { env: { ...process.env, FEDCHAIN_KEY_PASSWORD: 'pw', ...env }, timeout: timeoutMs }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: { code: number | null; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  )
}

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/**
 * A task created straight on the contract, as an older `task create` (which did not check the DP
 * budget) or another tool could: the nodes must cope with whatever the chain holds.
 */
async function createTaskOnContract(client: AggregatorClient, store: BlobStore, schema: DatasetSchema, dp: { epsilon: number; delta: number }, manifestBytes?: Uint8Array): Promise<bigint> {
  const model = { kind: 'logistic-regression' as const, inputs: schema.features.length, classes: 2 }
  const network = buildNetwork(model)
  const initial = serializeParams(network, initParams(network, new SeededRandom(1)))
  const manifest = manifestBytes ?? encodeTaskManifest({ format: 'fedchain-task', version: 1, model, schema, training: { epochs: 1, batchSize: 32, learningRate: 0.1, clipNorm: 1 } })
  const modelCid = await store.put(initial)
  await store.put(manifest)
  const { taskId } = await client.createTask({
    modelSpecCid: modelCid,
    modelSpecSha256: sha256Hex(initial),
    dataSchemaHash: taskManifestHash(manifest),
    rounds: 3,
    ...TIMING,
    committeeSize: 7,
    minParticipants: 1,
    dpEpsilon: epsilonToWad(dp.epsilon),
    dpDelta: epsilonToWad(dp.delta),
    rewardPerRound: 0n,
    committeeFeeBps: 1_000,
    slashAmount: 0n,
  })
  return taskId
}

describe('node daemon on tasks it cannot serve as asked', () => {
  let dir: string
  let chain: DevChain
  let funderKey: string
  let owner: Wallet
  let provider: Awaited<ReturnType<typeof connectRpc>>
  let aggregator: Contract
  let schema: DatasetSchema
  let storeA: BlobStore
  const dataA = () => join(dir, 'a')
  const dataB = () => join(dir, 'b')
  let nodeA: NodeDaemon | undefined
  // The tasks of the ledger test, whose files the corruption test then breaks.
  const dpTasks = { lost: 0n, shared: 0n }
  const startA = async (lines: string[], taskId?: bigint) => {
    nodeA = await startNodeDaemon({ dataDir: dataA(), password: 'pw', funderKey, pollMs: 100, log: createLogger({ level: 'info', write: (line) => lines.push(line) }), ...(taskId === undefined ? {} : { taskId }) })
    return nodeA
  }
  const parsed = (lines: readonly string[]) => lines.map((line) => JSON.parse(line) as LogLine)

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedchain-task-failures-'))
    chain = await startDevChain({ port: 0, accounts: 2, admitPollMs: 100 })
    funderKey = chain.file.devAccounts?.accounts[0]?.privateKey as string
    provider = await connectRpc({ url: chain.file.rpc })
    owner = new Wallet(funderKey, provider)
    aggregator = connectAggregator(chain.file.aggregator, provider)
    const schemaPath = fileURLToPath(new URL('schema.json', EXAMPLE))
    schema = parseDatasetSchema(JSON.parse(await readFile(schemaPath, 'utf8')))
    // Hospital B exports one feature fewer than the tasks ask for.
    const narrowSchema = join(dir, 'narrow-schema.json')
    await writeFile(narrowSchema, JSON.stringify({ ...(JSON.parse(await readFile(schemaPath, 'utf8')) as object), features: schema.features.slice(0, -1) }))
    const common = { data: CSV, rpc: chain.file.rpc, contract: chain.file.aggregator, password: 'pw', scryptN: 1024 }
    await initNode({ ...common, dataDir: dataA(), schema: schemaPath, name: 'a' })
    await initNode({ ...common, dataDir: dataB(), schema: narrowSchema, name: 'b' })
    storeA = await createFsBlobStore({ path: blobStorePath(dataA()) })
  }, 60_000)

  afterAll(async () => {
    await nodeA?.stop()
    await storeA?.close?.()
    provider?.destroy()
    await chain?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('`node start --task` exits 1 with the error and its hint when the task’s schema does not match the local data', async () => {
    const storeB = await createFsBlobStore({ path: blobStorePath(dataB()) })
    const task = await createTask({ signer: owner, aggregator: chain.file.aggregator, model: { kind: 'logistic-regression', inputs: 30, classes: 2 }, schema, rounds: 1, store: storeB, seed: 1, timing: TIMING })
    // Node A serves the task too (the later tests run it while B is gone).
    for (const cid of [task.modelCid, task.manifestCid]) await storeA.put(await storeB.get(cid))
    await storeB.close?.()
    expect(task.taskId).toBe(1n)

    const { code, stderr } = await fedchain(['node', 'start', '--data-dir', dataB(), '--task', '1', '--fund-from-env', 'FEDCHAIN_TEST_FUNDER', '--poll-ms', '100'], { FEDCHAIN_TEST_FUNDER: funderKey })
    expect(code).toBe(1)
    expect(stderr).toContain("error: task 1: the local data schema does not match the task's: features differ (task: 30 columns, local: 29)\n")
    expect(stderr).toContain('hint: export the CSV with the task schema’s columns')
    // Said once, not at every poll.
    expect(stderr.split('\n').filter((line) => line.includes('"msg":"stopped following task"'))).toHaveLength(1)
    expect(stderr).not.toContain('not following task')
  }, 60_000)

  it('sits out a round whose DP budget is unreachable, saying so once with the fix, and never retries it at each poll', async () => {
    const client = await createAggregatorClient({ address: chain.file.aggregator, signer: owner })
    const taskId = await createTaskOnContract(client, storeA, schema, { epsilon: 0.01, delta: 1e-5 })
    const lines: string[] = []
    const node = await startA(lines)
    onTestFinished(() => node.stop())
    const { round } = await launchRound({ signer: owner, aggregator: chain.file.aggregator, taskId })
    // Nobody commits: the round aborts (A aborts it) once the commit phase is over, 30 polls later.
    await waitUntil(async () => (await findRoundOutcome(aggregator, taskId, round))?.outcome === 'aborted', 20_000, 'the round to abort')
    await new Promise((r) => setTimeout(r, 500))
    expect(parsed(lines).some((l) => l.msg === 'aborted round' && l.taskId === taskId.toString())).toBe(true)

    const unreachable = parsed(lines).filter((l) => l.code === 'DP_TARGET_UNREACHABLE')
    expect(unreachable).toHaveLength(1)
    expect(unreachable[0]).toMatchObject({ level: 'error', msg: 'privacy target unreachable: not taking part in this round', taskId: taskId.toString() })
    expect(unreachable[0]?.error).toMatch(new RegExp(`^task ${taskId}: its DP budget ε = 0\\.01 \\(δ = 0\\.00001\\) is unreachable on this node: `))
    expect(unreachable[0]?.hint).toContain('create a new task with a larger --dp-epsilon')
    expect(parsed(lines).filter((l) => l.msg === 'round step failed, retrying')).toEqual([])
    expect(await aggregator.queryFilter(aggregator.filters['UpdateCommitted']?.(taskId) ?? '*')).toHaveLength(0)
  }, 60_000)

  it('charges the privacy ledger for shared updates only: a round that aborts before the node shares costs no ε', async () => {
    const budget = { epsilon: 1, delta: 1e-5 }
    const lines: string[] = []
    const node = await startA(lines)
    onTestFinished(() => node.stop())
    const common = { signer: owner, aggregator: chain.file.aggregator, model: { kind: 'logistic-regression' as const, inputs: 30, classes: 2 }, schema, rounds: 1, store: storeA, seed: 1, timing: TIMING, dp: budget }
    // Two hospitals are active but B does not run: with two participants needed, A's commitment
    // alone cannot make the round count, so A never releases its update and the round aborts.
    const lost = await createTask({ ...common, minParticipants: 2 })
    const shared = await createTask({ ...common, minParticipants: 1 })
    await launchRound({ signer: owner, aggregator: chain.file.aggregator, taskId: lost.taskId })
    const sharedRound = await launchRound({ signer: owner, aggregator: chain.file.aggregator, taskId: shared.taskId })
    const lostState = new RoundStateStore(dataA(), lost.taskId.toString())
    await waitUntil(async () => (await lostState.load())?.phase === 'aborted', 20_000, 'node A to conclude the lost round')
    const sharedState = new RoundStateStore(dataA(), shared.taskId.toString())
    await waitUntil(async () => ['shared', 'verifying', 'submitted', 'finalized', 'aborted'].includes((await sharedState.load())?.phase ?? ''), 20_000, 'node A to share')

    // The lost round: committed (with the charge recorded for later), never shared, never charged.
    expect((await lostState.load())?.commit?.privacyCharge).toBeDefined()
    expect(await aggregator.queryFilter(aggregator.filters['UpdateShared']?.(lost.taskId) ?? '*')).toHaveLength(0)
    const ledger = async (taskId: bigint) => JSON.parse(await readFile(join(privacyLedgerDir(dataA()), `task-${taskId}.json`), 'utf8')) as { entries: { label: string; epsilonAfter: number }[] }
    expect((await ledger(lost.taskId)).entries).toEqual([])

    // The shared round: charged once, before the share, which reports the ε spent.
    const entries = (await ledger(shared.taskId)).entries
    expect(entries.map((e) => e.label)).toEqual([`task ${shared.taskId} round ${sharedRound.round}`])
    const client = await createAggregatorClient({ address: chain.file.aggregator, signer: owner })
    const opened = await client.sharedUpdates(shared.taskId, sharedRound.round)
    expect(opened).toHaveLength(1)
    expect(Number(opened[0]?.epsilonSpent) / Number(WAD)).toBeCloseTo(entries[0]?.epsilonAfter as number, 8)
    expect(entries[0]?.epsilonAfter).toBeLessThanOrEqual(budget.epsilon)
    dpTasks.lost = lost.taskId
    dpTasks.shared = shared.taskId
    // The dev chain's block time lags the wall clock by up to ~2 s, more than the node's deadline
    // margin: a share sent right after the commit deadline may revert once and is sent again.
    const early = (l: LogLine & { errorName?: string }) => l.errorName === 'AggregatorSharePhaseNotStarted'
    expect(parsed(lines).filter((l) => l.level === 'error' && !early(l))).toEqual([])
  }, 60_000)

  it('stops driving a task whose round state or privacy ledger is corrupt, says so once with the hint and leaves the file alone', async () => {
    // The tasks of the previous test: corrupt A's round state of one and truncate the ledger of the other.
    const roundFile = new RoundStateStore(dataA(), dpTasks.lost.toString()).path
    const ledgerFile = join(privacyLedgerDir(dataA()), `task-${dpTasks.shared}.json`)
    await writeFile(roundFile, '{"version":1,"taskId":"3"\n')
    await writeFile(ledgerFile, (await readFile(ledgerFile, 'utf8')).slice(0, 40))
    const before = { round: await readFile(roundFile, 'utf8'), ledger: await readFile(ledgerFile, 'utf8') }

    // Following every task: both are logged once and skipped; the node keeps running.
    const lines: string[] = []
    const node = await startA(lines)
    onTestFinished(() => node.stop())
    const stopped = () => parsed(lines).filter((l) => l.msg === 'stopped following task')
    await waitUntil(() => stopped().length >= 2, 10_000, 'both tasks to be stopped')
    await new Promise((r) => setTimeout(r, 1_000)) // ten more polls
    expect(stopped()).toHaveLength(2)
    expect(stopped().find((l) => l.taskId === dpTasks.lost.toString())).toMatchObject({ level: 'error', code: 'ROUND_STATE_CORRUPT', error: expect.stringContaining(`round state ${roundFile} is unreadable`), hint: expect.stringContaining('move the file aside') })
    expect(stopped().find((l) => l.taskId === dpTasks.shared.toString())).toMatchObject({ level: 'error', code: 'DP_LEDGER_STATE_INVALID', error: `privacy ledger ${ledgerFile}: is not valid JSON`, hint: 'restore the file from a backup; never delete it to reset a budget' })
    expect(parsed(lines).filter((l) => l.msg === 'round step failed, retrying')).toEqual([])
    expect(node.status().lastError).toBeDefined()
    const settled = await Promise.race([node.finished.then(() => 'settled', () => 'settled'), new Promise((r) => setTimeout(() => r('pending'), 100))])
    expect(settled).toBe('pending')
    await node.stop()
    expect({ round: await readFile(roundFile, 'utf8'), ledger: await readFile(ledgerFile, 'utf8') }).toEqual(before)

    // Following only the ledger's task: nothing is left to do, so `finished` rejects with the error.
    const only = await startA([], dpTasks.shared)
    onTestFinished(() => only.stop())
    await expect(only.finished).rejects.toMatchObject({ code: 'DP_LEDGER_STATE_INVALID' })
    await only.stop()

    // And `node start --task` ends with exit 1, the error and its hint.
    const { code, stderr } = await fedchain(['node', 'start', '--data-dir', dataA(), '--task', dpTasks.lost.toString(), '--poll-ms', '100'], {})
    expect(code).toBe(1)
    expect(stderr).toContain(`error: round state ${roundFile} is unreadable: `)
    expect(stderr).toContain('hint: move the file aside; the node then rejoins from the chain state')
    expect(await readFile(roundFile, 'utf8')).toBe(before.round)
  }, 60_000)

  it('`node start --task` exits 1 once when the task’s manifest cannot be used (the chain pins its hash, so no retry helps)', async () => {
    const client = await createAggregatorClient({ address: chain.file.aggregator, signer: owner })
    const taskId = await createTaskOnContract(client, storeA, schema, { epsilon: 0, delta: 0 }, new TextEncoder().encode('{"format":"not-a-fedchain-task"}'))
    const { code, stderr } = await fedchain(['node', 'start', '--data-dir', dataA(), '--task', taskId.toString(), '--poll-ms', '100'], {})
    expect(code).toBe(1)
    expect(stderr).toContain(`error: task ${taskId}: its manifest is unusable (`)
    expect(stderr).toContain('hint: the task owner must create a new task with `fedchain task create`')
    expect(stderr.split('\n').filter((line) => line.includes('"msg":"stopped following task"'))).toHaveLength(1)
  }, 60_000)

  it('`node start --task` exits 1 when the task’s validation set does not follow its schema (the manifest pins those bytes)', async () => {
    const client = await createAggregatorClient({ address: chain.file.aggregator, signer: owner })
    // As another tool could create it: `task create --validation` refuses such a CSV.
    const csv = new TextEncoder().encode('mean_radius,malignant\n12.5,1\n')
    const validation = { cid: await storeA.put(csv), sha256: sha256Hex(csv) }
    const model = { kind: 'logistic-regression' as const, inputs: 30, classes: 2 }
    const manifest = encodeTaskManifest({ format: 'fedchain-task', version: 1, model, schema, training: { epochs: 1, batchSize: 32, learningRate: 0.1, clipNorm: 1 }, validation })
    const taskId = await createTaskOnContract(client, storeA, schema, { epsilon: 0, delta: 0 }, manifest)
    const { code, stderr } = await fedchain(['node', 'start', '--data-dir', dataA(), '--task', taskId.toString(), '--poll-ms', '100'], {})
    expect(code).toBe(1)
    expect(stderr).toContain(`error: task ${taskId}: its validation set is unusable (validation set ${validation.cid} lacks columns mean_texture, `)
    expect(stderr).toContain('hint: the task owner must create a new task with `fedchain task create --validation` and a CSV that follows the task schema')
  }, 60_000)
})
