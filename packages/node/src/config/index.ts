/**
 * @packageDocumentation
 * Node configuration files: the node's `config.json`, the chain file written by `fedchain chain
 * start`/`deploy`, the task manifest stored beside a task's initial model, and the data dir default.
 *
 * @example
 * ```ts
 * import { readNodeConfig } from './config/index.js'
 * const config = await readNodeConfig('/var/lib/fedchain')
 * config.rpc // 'http://127.0.0.1:8545'
 * ```
 */
export { defaultDataDir } from './data-dir.js'
export { DataDirInUseError, NodeConfigError, invalidArgument, type NodeConfigErrorCode } from './errors.js'
export { NODE_CONFIG_FILE, nodeConfigPath, parseNodeConfig, readNodeConfig, writeNodeConfig, type NodeConfig } from './node-config.js'
export { readChainFile, writeChainFile, type ChainFile, type DevAccount } from './chain-file.js'
export {
  cidOfSha256,
  decodeTaskManifest,
  encodeTaskManifest,
  schemaMismatch,
  standardizationProblem,
  taskManifestHash,
  type TaskManifest,
  scalingOf,
  type TaskScaling,
  type TaskStandardization,
  type TaskValidationSet,
} from './task-manifest.js'
export { initNode, loadLocalData, loadLocalDataset, type InitNodeParameters, type InitNodeReturnType, type LocalDataSource } from './init-node.js'
export { featureStatsOf, featureStatsProblem, mergeFeatureStats, type FeatureStats } from './feature-stats.js'
export {
  CONTRACT_HINT,
  parseAddress,
  parsePositiveInt,
  parsePositiveNumber,
  parseTaskId,
  parseTokenAmount,
  parseX25519PublicKey,
  resolveChainTarget,
  untilSignal,
  walletFromEnv,
} from './cli-arguments.js'
export { checkOutputDirectory, describeOutputError } from './output-dir.js'
