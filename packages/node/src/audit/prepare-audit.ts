import { createStrategy, STRATEGY_NAMES } from '../aggregation/registry.js'
import { openBlobStores } from './blob-copies.js'
import type { AuditTaskParameters } from './audit-task.js'
import { blobDirsFor, chainSourceOf, loadChainHistory, parseTaskId, runAuditorKeyPath, type ChainSourceFlags } from './chain-source.js'
import { decodeHistory } from './decode-events.js'
import { AuditOptionsError } from './errors.js'
import { loadAuditorKey, loadRunConfig, runParticipantIds } from './run-inputs.js'
import { hospitalRegistry, taskIds } from './task-timeline.js'

/** Flags of `fedchain audit`. */
export interface AuditFlags extends ChainSourceFlags {
  readonly task?: string
  /** Extra blob store directories (with --run they add to the run's node stores). */
  readonly blobs?: readonly string[]
  readonly auditorKey?: string
  /** Strategy for --rpc audits (a run's summary names its own). */
  readonly strategy?: string
  readonly verify?: boolean
}

/**
 * Resolves `fedchain audit` flags into {@link AuditTaskParameters}: a run directory provides the
 * chain record, the node blob stores, the auditor key, the model and the strategy (summary.json);
 * a live chain needs `--blobs`, `--auditor-key` and, unless it is FedAvg, `--strategy`.
 * @throws {AuditOptionsError}, {@link RunRecordMissingError}, {@link AuditorKeyError}, {@link BlobDirectoryError}, {@link RunSummaryError}
 */
export async function prepareAudit(flags: AuditFlags): Promise<AuditTaskParameters> {
  const source = chainSourceOf(flags)
  const requested = parseTaskId(flags.task)
  if (source.kind === 'run' && flags.strategy !== undefined) {
    throw new AuditOptionsError('--strategy applies to --rpc audits only', `drop --strategy: ${source.run}/summary.json names the strategy the run aggregated with`)
  }
  if (flags.strategy !== undefined && !(STRATEGY_NAMES as readonly string[]).includes(flags.strategy)) {
    throw new AuditOptionsError(`--strategy must be one of ${STRATEGY_NAMES.join(', ')}; got '${flags.strategy}'`, 'pass the strategy the task’s committee aggregates with (fedavg when unsure)')
  }
  if (source.kind === 'rpc') {
    // Checked before the chain is read: a missing flag should not cost a round trip.
    if ((flags.blobs ?? []).length === 0) throw new AuditOptionsError('--rpc audits need --blobs <dir…>', 'pass the blob store directories holding the updates and models (<node data dir>/blobs)')
    if (flags.auditorKey === undefined) throw new AuditOptionsError('--rpc audits need --auditor-key <file>', 'pass the task auditor X25519 private key file (64 hex characters)')
  }
  const history = await loadChainHistory(source)
  const blobDirs = await blobDirsFor(source, flags.blobs)
  if (source.kind === 'run') {
    const stores = await openBlobStores(blobDirs)
    const auditorKey = await loadAuditorKey(flags.auditorKey ?? runAuditorKeyPath(source.run))
    const config = await loadRunConfig(source.run)
    const taskId = requested ?? history.taskId ?? taskIds(decodeHistory(history).events).at(-1) ?? 0n
    return {
      history,
      taskId,
      stores,
      auditorKey,
      strategy: config.strategy,
      codec: config.codec,
      participantIds: await runParticipantIds(source.run, history, taskId),
      verify: config.verify,
      ...(config.minReputation === undefined ? {} : { minReputation: config.minReputation }),
      claimedFinalizations: config.rounds.flatMap((r) => (typeof r.finalizeTx === 'string' ? [{ round: r.round, finalizeTx: r.finalizeTx }] : [])),
    }
  }
  const stores = await openBlobStores(blobDirs)
  const auditorKey = await loadAuditorKey(flags.auditorKey as string)
  const participants = Math.max(1, hospitalRegistry(decodeHistory(history).events).addressAt.size)
  return {
    history,
    ...(requested === undefined ? {} : { taskId: requested }),
    stores,
    auditorKey,
    strategy: createStrategy({ name: flags.strategy ?? 'fedavg', participants }),
    verify: flags.verify ?? false,
  }
}
