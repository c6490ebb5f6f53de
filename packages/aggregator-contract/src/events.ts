import type { ReputationParams } from './types.js'

/*
 * The aggregator's events as typed records, one interface per event, fields named and ordered as
 * in the contract. Addresses are checksummed; the round, a committee's quorum and a registry index
 * are numbers, every other integer a bigint.
 */

/** Where an event sits on chain. */
export interface EventPosition {
  readonly blockNumber: number
  readonly logIndex: number
  readonly transactionHash: string
}

/** Fields of every event about one round of one task (both indexed, so logs can be filtered by them). */
interface RoundEvent {
  readonly taskId: bigint
  readonly round: number
}

/** `HospitalAdmitted`: an applicant became an active hospital with its registry index. */
export interface HospitalAdmittedEvent {
  readonly name: 'HospitalAdmitted'
  readonly account: string
  readonly index: number
}

/** `ReputationParamsUpdated`: the parameters every later reputation update uses (WAD). */
export interface ReputationParamsUpdatedEvent extends ReputationParams {
  readonly name: 'ReputationParamsUpdated'
}

/** `TaskCreated`: a task and the reward escrow its owner deposited. */
export interface TaskCreatedEvent {
  readonly name: 'TaskCreated'
  readonly taskId: bigint
  readonly owner: string
  readonly modelSpecCid: string
  readonly modelSpecSha256: string
  readonly dataSchemaHash: string
  readonly escrow: bigint
}

/** `RoundOpened`: the round's committee (bitmap of registry indices), quorum and deadlines. */
export interface RoundOpenedEvent extends RoundEvent {
  readonly name: 'RoundOpened'
  readonly baseModelSha256: string
  readonly committee: bigint
  readonly quorum: number
  /** Unix seconds. */
  readonly commitDeadline: bigint
  readonly shareDeadline: bigint
  readonly verifyDeadline: bigint
}

/** `UpdateCommitted`: a hospital committed to an update without revealing it. */
export interface UpdateCommittedEvent extends RoundEvent {
  readonly name: 'UpdateCommitted'
  readonly hospital: string
  readonly commitment: string
}

/** `UpdateShared`: a hospital opened its commitment and published its encrypted update. */
export interface UpdateSharedEvent extends RoundEvent {
  readonly name: 'UpdateShared'
  readonly hospital: string
  readonly updateHash: string
  readonly sampleCount: bigint
  /** Cumulative ε the hospital reports for this task, WAD. */
  readonly epsilonSpent: bigint
  readonly updateCid: string
}

/** `VerdictSubmitted`: a committee member's accepted set and the model it aggregated from it. */
export interface VerdictSubmittedEvent extends RoundEvent {
  readonly name: 'VerdictSubmitted'
  readonly member: string
  readonly acceptedBitmap: bigint
  readonly modelSha256: string
  readonly modelCid: string
  /** Packed uint16 basis points per accepted participant (see decodeQualityScores). */
  readonly qualityScores: string
}

/** `QuorumReached`: enough committee members agreed on one verdict. */
export interface QuorumReachedEvent extends RoundEvent {
  readonly name: 'QuorumReached'
  readonly acceptedBitmap: bigint
  readonly modelSha256: string
}

/** `RoundFinalized`: the new model and everyone's outcome as bitmaps. */
export interface RoundFinalizedEvent extends RoundEvent {
  readonly name: 'RoundFinalized'
  readonly modelSha256: string
  readonly accepted: bigint
  readonly rejected: bigint
  readonly absent: bigint
  readonly agreeing: bigint
  readonly dissenting: bigint
  /** The consortium's count of finalized rounds, this one included: the clock reputation decays by. */
  readonly reputationRound: bigint
}

/** `RewardsCredited`: what the round paid to the accepted hospitals and to each agreeing member, and what it left in escrow. */
export interface RewardsCreditedEvent extends RoundEvent {
  readonly name: 'RewardsCredited'
  readonly participantsPaid: bigint
  readonly feePerMember: bigint
  readonly unpaid: bigint
}

/** `RoundAborted`: the round ended without a finalized model. */
export interface RoundAbortedEvent extends RoundEvent {
  readonly name: 'RoundAborted'
}

/** `TaskCompleted`: the task's last round was finalized with this model. */
export interface TaskCompletedEvent {
  readonly name: 'TaskCompleted'
  readonly taskId: bigint
  readonly modelSha256: string
}

/** `RewardClaimed`: a hospital withdrew its credited rewards. */
export interface RewardClaimedEvent {
  readonly name: 'RewardClaimed'
  readonly hospital: string
  readonly amount: bigint
}

/** `StakeSlashed`: stake moved from a hospital to the task's escrow for a rejected update. */
export interface StakeSlashedEvent {
  readonly name: 'StakeSlashed'
  readonly account: string
  readonly taskId: bigint
  readonly round: number
  readonly amount: bigint
}

/**
 * The events of a task's life and of reputation and rewards: what nodes act on and audits replay.
 * Registry bookkeeping, stake and governance events are not among them.
 */
export type AggregatorEvent =
  | HospitalAdmittedEvent
  | ReputationParamsUpdatedEvent
  | TaskCreatedEvent
  | RoundOpenedEvent
  | UpdateCommittedEvent
  | UpdateSharedEvent
  | VerdictSubmittedEvent
  | QuorumReachedEvent
  | RoundFinalizedEvent
  | RewardsCreditedEvent
  | RoundAbortedEvent
  | TaskCompletedEvent
  | RewardClaimedEvent
  | StakeSlashedEvent

/** Names of the events {@link AggregatorEvent} covers. */
export type AggregatorEventName = AggregatorEvent['name']

/** The {@link AggregatorEvent} named `N`. */
export type AggregatorEventOf<N extends AggregatorEventName> = Extract<AggregatorEvent, { readonly name: N }>
