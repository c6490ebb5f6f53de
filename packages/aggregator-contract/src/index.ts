/**
 * @packageDocumentation
 * The fedchain aggregator contract (Solidity, compiled offline) and typed helpers over plain
 * ethers v6: ABIs, bytecode, deploy helpers, protocol encoders, typed view readers and events, and
 * decoded custom errors. This entry never loads Hardhat; the in-process chain lives in
 * `@fedchain/aggregator-contract/embedded`.
 *
 * @example
 * ```ts
 * import { deployConsortium, computeCommitment, signCommit } from '@fedchain/aggregator-contract'
 * const { aggregator, token } = await deployConsortium(signer, { minStake: 10n ** 18n })
 * const commitment = computeCommitment({ updateHash, sampleCount: 512n, salt, hospital, taskId: 1n, round: 1n })
 * await (await aggregator.commit(1n, 1n, commitment)).wait()
 * // or signed by the hospital and relayed in one batch with other hospitals' entries:
 * const entry = await signCommit({ signer, aggregator: await aggregator.getAddress(), taskId: 1n, round: 1n, commitment })
 * await (await aggregator.commitBatch(1n, 1n, [entry])).wait()
 * ```
 */
export { solidityCompiler, type SolidityCompilerInfo } from './compiler.js'
export {
  BPS,
  DEFAULT_EMBEDDED_ACCOUNTS,
  EMBEDDED_CHAIN_ID,
  FULL_COMMITTEE_THRESHOLD,
  MAX_CONTRACT_SIZE,
  MAX_HOSPITALS,
  MINTER_ROLE,
  TASK_CREATOR_ROLE,
  WAD,
} from './constants.js'
export { DEFAULT_REPUTATION_PARAMS, DEFAULT_TASK_TIMING } from './defaults.js'
export {
  AggregatorError,
  ContractRevertError,
  decodeContractError,
  withDecodedErrors,
  type AggregatorErrorInit,
} from './errors.js'
export {
  connectAggregator,
  connectFedToken,
  deployAggregator,
  deployAggregatorSetup,
  deployConsortium,
  deployFedToken,
  linkAggregatorBytecode,
  type DeployAggregatorParameters,
  type DeployConsortiumParameters,
  type DeployConsortiumReturnType,
  type DeployFedTokenParameters,
} from './deploy.js'
export {
  aggregatorContractAbi,
  aggregatorContractBytecode,
  aggregatorContractDeployedSize,
  aggregatorContractLinkOffsets,
  aggregatorSetupAbi,
  aggregatorSetupBytecode,
  aggregatorSetupDeployedSize,
  fedTokenAbi,
  fedTokenBytecode,
  fedTokenDeployedSize,
  SOURCE_HASH,
} from './generated/artifacts.js'
export {
  bitmapOf,
  computeCommitment,
  decodeHospitalProfile,
  decodeQualityScores,
  encodeHospitalProfile,
  encodeQualityScores,
  indicesOf,
  quorumOf,
  type CommitmentParameters,
  type HospitalProfile,
} from './protocol.js'
export {
  aggregatorDomain,
  COMMIT_TYPES,
  EIP712_DOMAIN_NAME,
  EIP712_DOMAIN_VERSION,
  SHARE_TYPES,
  signCommit,
  signShare,
  type AggregatorDomainParameters,
  type SignCommitParameters,
  type SignedCommit,
  type SignedShare,
  type SignShareParameters,
} from './relay.js'
export { readCurrentModel, readRoundState, readTaskCount, readTaskSchedule, readTaskTerms, roundDeadlines } from './views.js'
export {
  readActiveHospitals,
  readClaimable,
  readHospital,
  readHospitalAt,
  readHospitalCount,
  readReputation,
  type HospitalRecord,
  type ReputationRecord,
} from './registry-views.js'
export type {
  AggregatorEvent,
  AggregatorEventName,
  AggregatorEventOf,
  EventPosition,
  HospitalAdmittedEvent,
  QuorumReachedEvent,
  ReputationParamsUpdatedEvent,
  RewardClaimedEvent,
  RewardsCreditedEvent,
  RoundAbortedEvent,
  RoundFinalizedEvent,
  RoundOpenedEvent,
  StakeSlashedEvent,
  TaskCompletedEvent,
  TaskCreatedEvent,
  UpdateCommittedEvent,
  UpdateSharedEvent,
  VerdictSubmittedEvent,
} from './events.js'
export { aggregatorInterface, decodeAggregatorLog } from './event-decoder.js'
export { findReceiptEvent, findRoundOpened, findRoundOutcome, findSharedUpdates, type RoundOutcome } from './event-queries.js'
export {
  HOSPITAL_STATUS_NAMES,
  HospitalStatus,
  TASK_STATUS_NAMES,
  TaskStatus,
  type ReputationParams,
  type RoundState,
  type TaskConfig,
  type TaskSchedule,
  type TaskTerms,
} from './types.js'
