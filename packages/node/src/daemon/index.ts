/**
 * @packageDocumentation
 * The long-running fedchain node (`fedchain node start`) and the local development chain
 * (`fedchain chain start`): membership, libp2p, blob exchange, the per-task round machine driven by
 * the chain's state, the status endpoint and structured logs.
 *
 * @example
 * ```ts
 * import { startNodeDaemon } from './daemon/index.js'
 * const node = await startNodeDaemon({ dataDir: '/var/lib/fedchain', taskId: 1n })
 * console.log(node.statusUrl)
 * await node.finished
 * await node.stop()
 * ```
 */
export { startNodeDaemon, ContractMissingError, type NodeDaemon, type NodeDaemonInit } from './node-daemon.js'
export { startDevChain, type DevChain, type DevChainInit } from './dev-chain.js'
export { createTask, launchRound, type CreateTaskParameters, type CreateTaskReturnType, type LaunchRoundParameters, type LaunchRoundReturnType } from './task-admin.js'
export { createLogger, parseLogLevel, type DaemonLogger, type LogLevel, type LoggerInit } from './logger.js'
export {
  DaemonStoppedError,
  MembershipError,
  MembershipUnfundedError,
  PrivacyTargetUnreachableError,
  TaskIncompatibleError,
  StatusListenError,
  ValidationSetHashMismatchError,
  ValidationSetUnavailableError,
  type TaskIncompatibility,
} from './errors.js'
export { decideCommitteeVerdict, type CommitteeVerdict, type DecideCommitteeVerdictParameters } from './committee-verdict.js'
export { checkValidationCsv, loadValidationSet, parseValidationSet, validationStandardization, type LoadValidationSetParameters, type ParseValidationSetParameters } from './validation-set.js'
export { startStatusServer, type StatusServer } from './status-server.js'
