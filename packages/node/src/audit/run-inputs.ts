import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createStrategy, DEFAULT_BYZANTINE_FRACTION } from '../aggregation/registry.js'
import type { AggregationStrategy } from '../aggregation/types.js'
import { DEFAULT_PASSWORD_ENV, KeyPasswordMissingError, x25519KeyPairFromPrivateKey, type X25519KeyPair } from '../crypto/index.js'
import { openSealedKey } from '../crypto/sealed-key.js'
import { buildNetwork } from '../learning/model/network.js'
import type { ModelSpec } from '../learning/model/spec.js'
import { blobStorePath } from '../storage/index.js'
import { RUN_FILES, type AggregationIds, type ChainRecord } from '../simulate/run-record.js'
import type { ChainHistory } from './chain-history.js'
import { decodeHistory } from './decode-events.js'
import { AuditorKeyError, RunSummaryError } from './errors.js'
import { networkCodec, type ModelCodec } from './model-codec.js'

/** Options of {@link loadAuditorKey}. */
export interface LoadAuditorKeyOptions {
  /** Environment variable holding the password of a sealed key file. @default FEDCHAIN_KEY_PASSWORD */
  readonly passwordEnv?: string
}

/**
 * Reads the auditor's X25519 private key: either 64 hex characters (the format of
 * `<run>/auditor.key`), or a node's sealed encryption key file (`fedchain node init` writes one;
 * any committee member's key opens the updates of the rounds it verified), whose password is read
 * from `FEDCHAIN_KEY_PASSWORD`.
 * @throws {AuditorKeyError} when the file is missing or malformed
 * @throws {KeyPasswordMissingError} / {KeyPasswordInvalidError} for a sealed file without the right password
 */
export async function loadAuditorKey(path: string, options: LoadAuditorKeyOptions = {}): Promise<X25519KeyPair> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    throw new AuditorKeyError(path, (cause as { code?: string }).code === 'ENOENT' ? 'does not exist' : `is unreadable (${(cause as Error).message})`, cause)
  }
  if (text.trimStart().startsWith('{')) {
    const envVar = options.passwordEnv ?? DEFAULT_PASSWORD_ENV
    const password = process.env[envVar]
    if (password === undefined || password === '') throw new KeyPasswordMissingError(envVar)
    const { secret } = await openSealedKey(path, text, 'x25519', password)
    const pair = x25519KeyPairFromPrivateKey(secret)
    secret.fill(0)
    return pair
  }
  const hex = text.trim().replace(/^0x/, '')
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new AuditorKeyError(path, 'holds neither 64 hex characters nor a sealed x25519 key file')
  return x25519KeyPairFromPrivateKey(Uint8Array.from(Buffer.from(hex, 'hex')))
}

/** The blob stores of a run's nodes: `<run>/nodes/<hospital id>/blobs`. */
export async function runBlobDirs(runDir: string): Promise<string[]> {
  const nodes = join(runDir, RUN_FILES.nodes)
  let entries: string[]
  try {
    entries = (await readdir(nodes, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name)
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ENOENT') return []
    throw cause
  }
  return entries.sort().map((id) => blobStorePath(join(nodes, id)))
}

/**
 * Which participant id each hospital aggregated under. The in-process protocol simulation names
 * hospitals by their own ids (the node directory names), not by chain address; each node's round
 * state holds the commitment it sent, which the chain's UpdateCommitted events tie to its address.
 * The daemons of `simulate --processes` aggregate under their lower-case addresses, the audit's
 * default: their chain record says so (`aggregationIds: 'address'`) and the map is empty.
 * @returns lower-case address → node id
 */
export async function runParticipantIds(runDir: string, history: ChainHistory, taskId: bigint): Promise<Map<string, string>> {
  if ((await recordedAggregationIds(runDir)) === 'address') return new Map()
  const byCommitment = new Map<string, string>()
  for (const e of decodeHistory(history).events) if (e.name === 'UpdateCommitted') byCommitment.set(e.commitment.toLowerCase(), e.hospital.toLowerCase())
  const ids = new Map<string, string>()
  const nodes = join(runDir, RUN_FILES.nodes)
  let entries: string[]
  try {
    entries = (await readdir(nodes, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name)
  } catch {
    return ids
  }
  for (const id of entries) {
    try {
      const state = JSON.parse(await readFile(join(nodes, id, 'tasks', taskId.toString(), 'round.json'), 'utf8')) as { commit?: { commitment?: string } }
      const address = byCommitment.get(state.commit?.commitment?.toLowerCase() ?? '')
      if (address !== undefined) ids.set(address, id)
    } catch {
      // A node without round state never committed; its updates cannot be in any aggregate.
    }
  }
  return ids
}

/** The record's `aggregationIds`; `hospital` when it names none (or cannot be read: the history loader reports that). */
async function recordedAggregationIds(runDir: string): Promise<AggregationIds> {
  try {
    const record = JSON.parse(await readFile(join(runDir, RUN_FILES.chainRecord), 'utf8')) as Partial<ChainRecord> | null
    return record?.aggregationIds === 'address' ? 'address' : 'hospital'
  } catch {
    return 'hospital'
  }
}

/** What the audit needs from a run's `summary.json`. */
export interface RunConfig {
  readonly codec: ModelCodec
  readonly strategy: AggregationStrategy
  readonly verify: boolean
  readonly minReputation?: number
  /** The summary's rounds (accuracy per round for status, finalize transaction for the audit). */
  readonly rounds: readonly { readonly round: number; readonly accuracy?: number; readonly finalizeTx?: string | null }[]
}

/**
 * Reads the model and strategy a run used from `<run>/summary.json`, and builds them with the
 * simulation's own factories (a fresh strategy, so stateful strategies replay from round 1).
 * @throws {RunSummaryError} when the summary is missing or lacks them
 */
export async function loadRunConfig(runDir: string): Promise<RunConfig> {
  const path = join(runDir, 'summary.json')
  let summary: { config?: Record<string, unknown>; rounds?: RunConfig['rounds'] }
  try {
    summary = JSON.parse(await readFile(path, 'utf8')) as typeof summary
  } catch (cause) {
    throw new RunSummaryError(path, (cause as { code?: string }).code === 'ENOENT' ? 'does not exist' : 'is not valid JSON', cause)
  }
  const config = summary.config
  if (config === undefined || typeof config['strategy'] !== 'string' || typeof config['model'] !== 'object' || config['model'] === null) {
    throw new RunSummaryError(path, 'has no config.model or config.strategy')
  }
  const malicious = config['malicious'] as { fraction?: number } | null | undefined
  // Summaries written before `byzantineFraction` was recorded used the attacker fraction.
  const byzantineFraction = typeof config['byzantineFraction'] === 'number' ? config['byzantineFraction'] : (malicious?.fraction ?? DEFAULT_BYZANTINE_FRACTION)
  let codec: ModelCodec
  let strategy: AggregationStrategy
  try {
    codec = networkCodec(buildNetwork(config['model'] as ModelSpec))
    strategy = createStrategy({ name: config['strategy'], participants: Number(config['nodes']), byzantineFraction })
  } catch (cause) {
    throw new RunSummaryError(path, `has an unusable config (${(cause as { shortMessage?: string }).shortMessage ?? (cause as Error).message})`, cause)
  }
  const minReputation = typeof config['minReputation'] === 'number' ? config['minReputation'] : undefined
  return {
    codec,
    strategy,
    verify: config['verify'] === true,
    ...(minReputation === undefined ? {} : { minReputation }),
    rounds: Array.isArray(summary.rounds) ? summary.rounds : [],
  }
}
