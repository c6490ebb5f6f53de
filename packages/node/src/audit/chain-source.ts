import { join } from 'node:path'
import { RUN_FILES } from '../simulate/run-record.js'
import { fetchChainHistory, loadRunRecord, type ChainHistory } from './chain-history.js'
import { AuditOptionsError } from './errors.js'
import { runBlobDirs } from './run-inputs.js'
import { parseAddress, READ_CONTRACT_HINT } from '../config/cli-arguments.js'

/** Where the chain's history is read from: a run directory, or a live chain (exclusive). */
export type ChainSourceOptions =
  | { readonly kind: 'run'; readonly run: string }
  | { readonly kind: 'rpc'; readonly rpc: string; readonly contract: string }

/** The CLI flags every read-side command shares. */
export interface ChainSourceFlags {
  readonly run?: string
  readonly rpc?: string
  readonly contract?: string
}

/**
 * Picks the history source from `--run` or `--rpc` + `--contract`.
 * @throws {AuditOptionsError} when neither or both are given, or `--contract` is missing
 */
export function chainSourceOf(flags: ChainSourceFlags): ChainSourceOptions {
  if (flags.run !== undefined && flags.rpc !== undefined) {
    throw new AuditOptionsError('--run and --rpc are exclusive', 'read a simulation with --run <dir>, or a live chain with --rpc <url> --contract <address>')
  }
  if (flags.run !== undefined) return { kind: 'run', run: flags.run }
  if (flags.rpc !== undefined) {
    if (flags.contract === undefined) throw new AuditOptionsError('--rpc needs --contract <address>', 'pass the aggregator contract address printed by `fedchain chain deploy`')
    return { kind: 'rpc', rpc: flags.rpc, contract: parseAddress('contract', flags.contract, READ_CONTRACT_HINT) }
  }
  throw new AuditOptionsError('no chain to read', 'pass --run <dir> (a `fedchain simulate` output directory) or --rpc <url> --contract <address>')
}

/** Reads the chain history from `source`. */
export function loadChainHistory(source: ChainSourceOptions): Promise<ChainHistory> {
  return source.kind === 'run' ? loadRunRecord(source.run) : fetchChainHistory({ rpc: source.rpc, contract: source.contract })
}

/** `<run>/auditor.key`. */
export function runAuditorKeyPath(runDir: string): string {
  return join(runDir, RUN_FILES.auditorKey)
}

/** Parses a `--task` value. @throws {AuditOptionsError} for a non-integer */
export function parseTaskId(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new AuditOptionsError(`--task ${value} is not a task id`, 'task ids are positive integers (1, 2, …), as `fedchain status` lists them')
  return BigInt(value)
}

/**
 * The blob store directories to read: a run's node stores plus `extra`; a live chain has only `extra`.
 * @throws {AuditOptionsError} when there is none
 */
export async function blobDirsFor(source: ChainSourceOptions, extra: readonly string[] = []): Promise<string[]> {
  const dirs = [...(source.kind === 'run' ? await runBlobDirs(source.run) : []), ...extra]
  if (dirs.length === 0) {
    throw new AuditOptionsError(
      source.kind === 'run' ? `run ${source.run} has no node blob stores (nodes/*/blobs)` : 'reading models from a live chain needs --blobs <dir…>',
      'pass --blobs <dir> with a node blob store (<node data dir>/blobs) that holds the updates and models',
    )
  }
  return dirs
}
