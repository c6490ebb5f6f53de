import { FedchainError } from '../errors.js'

/** The daemon was stopped while it waited (normal shutdown, not a failure). */
export class DaemonStoppedError extends FedchainError {
  constructor() {
    super('DAEMON_STOPPED', 'the node was stopped')
  }
}

/** The node's registry entry does not allow it to take part. */
export class MembershipError extends FedchainError {
  constructor(address: string, status: string) {
    super('MEMBERSHIP_INACTIVE', `hospital ${address} is ${status} in the consortium registry`, {
      details: { address, status },
      hint: status === 'suspended' ? 'add stake (addStake) to be reactivated' : 'apply again from a new data dir (fedchain node init)',
    })
  }
}

/**
 * Why a task cannot be served: `schema` (the local data does not fit the task; final) or
 * `manifest-unavailable` (no peer delivered the task manifest yet; retried).
 */
/**
 * Why a task cannot be served: its schema differs from the local data, its manifest is not
 * reachable yet (worth retrying), or its manifest cannot be used (final: the chain pins its hash).
 */
export type TaskIncompatibility = 'schema' | 'manifest-unavailable' | 'manifest-invalid'

/** The task cannot be served by this node (schema mismatch, missing manifest, bad model). */
export class TaskIncompatibleError extends FedchainError {
  readonly reason: TaskIncompatibility

  constructor(taskId: bigint, problem: string, hint: string, reason: TaskIncompatibility = 'schema') {
    super('TASK_INCOMPATIBLE', `task ${taskId}: ${problem}`, { details: { taskId: taskId.toString(), reason }, hint })
    this.reason = reason
  }
}

/**
 * A task's DP budget ε cannot be met: even the largest noise multiplier leaves ε above it over the
 * planned DP-SGD steps. Final for the task: the budget and the steps are fixed when it is created.
 */
export class PrivacyTargetUnreachableError extends FedchainError {
  constructor(problem: string, options: { details: Record<string, unknown>; hint: string }) {
    super('DP_TARGET_UNREACHABLE', problem, options)
  }
}

/** The status endpoint could not listen. */
export class StatusListenError extends FedchainError {
  constructor(port: number, cause: unknown) {
    super('STATUS_LISTEN_FAILED', `the status endpoint could not listen on 127.0.0.1:${port}`, {
      cause,
      hint: 'choose another --status-port (0 picks a free one)',
    })
  }
}

/** The node cannot pay for its membership: no stake tokens or no gas. */
export class MembershipUnfundedError extends FedchainError {
  constructor(address: string, problem: string, cause?: unknown) {
    super('MEMBERSHIP_UNFUNDED', `hospital ${address} cannot apply for membership: ${problem}`, {
      details: { address },
      cause,
      hint: `send the stake (FED) and, unless gas is free, some ether to ${address}; on a development chain run \`fedchain node start --fund-from-env <VAR>\` with a funded key in <VAR>`,
    })
  }
}
