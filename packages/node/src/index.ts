/**
 * @packageDocumentation
 * The fedchain training node. Most users run it through the `fedchain` CLI.
 *
 * @example
 * ```ts
 * import { runDoctor } from '@fedchain/node'
 * const report = await runDoctor({ dataDir: '/var/lib/fedchain' })
 * report.ok // → true when this machine can run a node
 * ```
 */
export { FedchainError, CommandFailedError } from './errors.js'
export { runDoctor, formatDoctorReport, type DoctorReport, type DoctorParameters } from './cli/commands/doctor.js'
export type { DoctorCheck } from './cli/commands/doctor-checks.js'
export { selectBackend, probeBackend, backendOverride, BACKEND_NAMES, type BackendName, type BackendProbe, type BackendSelection } from './learning/backend.js'
export { defaultDataDir } from './config/data-dir.js'
export { renderReport, writeReport, readSummary, parseSummary, renderStatusPage, renderLineChart, seriesColor, STATUS_REFRESH_SECONDS, ReportIoError, ReportSummaryInvalidError, type RunSummary, type RoundSummary, type NodeStatusState, type RenderReportOptions, type StatusPageOptions, type WriteReportReturnType } from './report/index.js'
export * as chain from './chain/index.js'
export * as round from './round/index.js'
export * as learning from './learning/index.js'
export * as aggregation from './aggregation/index.js'
export * as simulate from './simulate/index.js'
export * as crypto from './crypto/index.js'
export * as storage from './storage/index.js'
export * as p2p from './p2p/index.js'
export * as protocol from './protocol/index.js'
export * as audit from './audit/index.js'
export * as daemon from './daemon/index.js'
export * as config from './config/index.js'
