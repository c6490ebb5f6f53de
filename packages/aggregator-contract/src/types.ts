/** Registration status of a hospital, as the contract's `HospitalStatus` enum. */
export const HospitalStatus = {
  None: 0,
  Pending: 1,
  Active: 2,
  Suspended: 3,
  Exiting: 4,
  Exited: 5,
} as const
/** One of {@link HospitalStatus}'s values. */
export type HospitalStatus = (typeof HospitalStatus)[keyof typeof HospitalStatus]

/** Lower-case name of each {@link HospitalStatus}, for logs and error messages. */
export const HOSPITAL_STATUS_NAMES = {
  [HospitalStatus.None]: 'none',
  [HospitalStatus.Pending]: 'pending',
  [HospitalStatus.Active]: 'active',
  [HospitalStatus.Suspended]: 'suspended',
  [HospitalStatus.Exiting]: 'exiting',
  [HospitalStatus.Exited]: 'exited',
} as const satisfies Record<HospitalStatus, string>

/** Lifecycle of a task, as the contract's `TaskStatus` enum. */
export const TaskStatus = {
  None: 0,
  Ready: 1,
  RoundOpen: 2,
  Completed: 3,
  Closed: 4,
} as const
/** One of {@link TaskStatus}'s values. */
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus]

/** Lower-case name of each {@link TaskStatus}, as logs and the node's status page show it. */
export const TASK_STATUS_NAMES = {
  [TaskStatus.None]: 'none',
  [TaskStatus.Ready]: 'ready',
  [TaskStatus.RoundOpen]: 'round-open',
  [TaskStatus.Completed]: 'completed',
  [TaskStatus.Closed]: 'closed',
} as const satisfies Record<TaskStatus, string>

/** Reputation parameters (all WAD, 1e18 = 1.0); see packages/reputation/FIXED_POINT.md. */
export interface ReputationParams {
  /** Evidence kept per reputation round, in (0, 1e18]. @default 0.9e18 */
  readonly decay: bigint
  /** Positive evidence per accepted update. @default 1e18 */
  readonly weightAccepted: bigint
  /** Negative evidence per rejected update. @default 2e18 */
  readonly weightRejected: bigint
  /** Negative evidence per committed-but-not-shared update. @default 0.5e18 */
  readonly weightAbsent: bigint
  /** Negative evidence per committee verdict that disagreed with the quorum. @default 1e18 */
  readonly weightDisagreement: bigint
  /** Non-informative prior weight W. @default 2e18 */
  readonly priorWeight: bigint
  /** Base rate a in [0, 1e18]. @default 0.5e18 */
  readonly baseRate: bigint
}

/** Parameters of a new task, as the contract's `TaskConfig` struct. */
export interface TaskConfig {
  /** CID of the model specification (the initial global model). */
  readonly modelSpecCid: string
  /** sha256 of the model specification, 0x-prefixed 32 bytes. */
  readonly modelSpecSha256: string
  /** Hash of the data schema every hospital's data must follow, 0x-prefixed 32 bytes. */
  readonly dataSchemaHash: string
  /** Number of rounds to finalize. */
  readonly rounds: number
  /** Seconds from round opening to the commit deadline. */
  readonly commitDuration: number
  /** Seconds from the commit deadline to the share deadline. */
  readonly shareDuration: number
  /** Seconds from the share deadline to the verify (verdict) deadline. */
  readonly verifyDuration: number
  /** Committee size k when more than 7 hospitals are active (≤ 7: everyone). */
  readonly committeeSize: number
  /** Minimum number of committed hospitals for a round to be finalized. */
  readonly minParticipants: number
  /** DP budget ε every node must respect (WAD). */
  readonly dpEpsilon: bigint
  /** DP budget δ (WAD). */
  readonly dpDelta: bigint
  /** Reward per finalized round, token units (escrowed × rounds at creation). */
  readonly rewardPerRound: bigint
  /** Committee fee in basis points of the round reward. */
  readonly committeeFeeBps: number
  /** Stake slashed per rejected update, token units (0 = no slashing). */
  readonly slashAmount: bigint
}

/** What a task pays and promises (the contract's `Terms`). */
export interface TaskTerms {
  /** The task's creator; closing the task refunds it the unspent escrow. */
  readonly owner: string
  /** Committee fee in basis points of the round reward. */
  readonly committeeFeeBps: number
  /** Number of rounds to finalize. */
  readonly totalRounds: number
  /** Reward per finalized round, token units. */
  readonly rewardPerRound: bigint
  /** Stake slashed per rejected update, token units (0 = no slashing). */
  readonly slashAmount: bigint
  /** DP budget ε every node must respect (WAD). */
  readonly dpEpsilon: bigint
  /** DP budget δ (WAD). */
  readonly dpDelta: bigint
  /** Hash of the data schema every hospital's data must follow (the node stores the task manifest under it). */
  readonly dataSchemaHash: string
  /** Reward tokens the task still holds (the unspent escrow). */
  readonly escrow: bigint
}

/** Schedule and counters of a task (the contract's `Schedule`). */
export interface TaskSchedule {
  readonly round: number
  readonly openedAt: number
  readonly commitDuration: number
  readonly shareDuration: number
  readonly verifyDuration: number
  readonly status: TaskStatus
  readonly committeeSize: number
  readonly minParticipants: number
  readonly quorum: number
  readonly activeModel: number
  readonly finalizedRounds: number
}

/** State of a task's open (or last) round; bitmaps are keyed by registry index. */
export interface RoundState {
  readonly committed: bigint
  readonly shared: bigint
  readonly committee: bigint
  readonly submitted: bigint
  /**
   * Vote key that reached the quorum, keccak256(abi.encode(taskId, uint32 round, acceptedBitmap,
   * modelSha256)); zero hash while none has.
   */
  readonly quorumKey: string
  /** Accepted bitmap of the quorum verdict; 0 while there is no quorum. */
  readonly quorumAccepted: bigint
  /** Whether a quorum agreed (`quorumKey` is set): the round can be finalized. */
  readonly quorumReached: boolean
}
