/**
 * @packageDocumentation
 * The read side of the chain: the aggregator's history (from a run's `chain/record.json` or a live
 * JSON-RPC endpoint) decoded into typed events, and what `fedchain audit`, `fedchain export` and
 * `fedchain status` compute from it.
 *
 * @example
 * ```ts
 * import { auditTask, prepareAudit } from './audit/index.js'
 * const report = await auditTask(await prepareAudit({ run: 'runs/simulate-wdbc' }))
 * report.ok // → true when every finalized model is the aggregate of its accepted updates
 * ```
 */
export { auditTask, type AuditReport, type AuditRoundReport, type AuditTaskParameters } from './audit-task.js'
export type { AuditCheck, AuditMismatch } from './mismatch.js'
export { checkOutcome, checkQuorum } from './round-checks.js'
export { fetchEvidence, type FetchEvidenceParameters } from './evidence.js'
export { openRoundUpdates, type OpenRoundUpdatesParameters } from './open-updates.js'
export { openBlobStores, type BlobCopy, type BlobLookup, type BlobStoreSet } from './blob-copies.js'
export { fetchChainHistory, loadRunRecord, type ChainHistory, type FetchChainHistoryParameters } from './chain-history.js'
export { blobDirsFor, chainSourceOf, loadChainHistory, parseTaskId, type ChainSourceFlags, type ChainSourceOptions } from './chain-source.js'
export { decodeHistory, shareSalt, type AuditedShareEvent, type AuditEvent, type AuditEventName, type UndecodedLog } from './decode-events.js'
export { AuditOptionsError, AuditorKeyError, BlobDirectoryError, ModelExportError, RunRecordInvalidError, RunRecordMissingError, RunSummaryError, TaskNotFoundError } from './errors.js'
export { formatAuditReport } from './format-audit.js'
export { formatTaskStatus } from './format-status.js'
export { replayReputation, type ReputationLedger, type RoundCredit } from './replay-reputation.js'
export { taskStatus, type HospitalStatus, type LiveHospitalState, type LiveStateReader, type RoundStatus, type TaskStatus, type TaskStatusParameters } from './task-status.js'
export { loadFinalizedModel, modelToJson, writeModelExport, type ExportFormat, type LoadFinalizedModelParameters, type ModelJson, type VerifiedModel } from './export-model.js'
export { networkCodec, templateCodec, type ModelCodec } from './model-codec.js'
export { prepareAudit, type AuditFlags } from './prepare-audit.js'
export { createAggregateReplayer, type AggregateReplayer, type AggregateReplayerInit, type ReplayRoundParameters } from './replay-aggregate.js'
export { loadAuditorKey, loadRunConfig, runBlobDirs, runParticipantIds, type RunConfig } from './run-inputs.js'
export { hospitalRegistry, lastFinalized, quorumVerdict, taskIds, taskTimeline, type EventOf, type HospitalRegistry, type RoundTimeline, type TaskTimeline } from './task-timeline.js'
