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
 * The validation set a task's manifest names could not be fetched (no peer delivered it yet).
 * Worth retrying: the node tries again at the next poll.
 */
export class ValidationSetUnavailableError extends FedchainError {
  constructor(taskId: bigint, cid: string, cause: unknown) {
    super('VALIDATION_SET_UNAVAILABLE', `task ${taskId}: cannot fetch its validation set ${cid} (${(cause as { shortMessage?: string }).shortMessage ?? String(cause)})`, {
      details: { taskId: taskId.toString(), cid },
      cause,
      hint: 'the node holding it (the task creator’s --store-in node) must be running and connected; this node retries at the next poll',
    })
  }
}

/**
 * The bytes a blob store returned for a task's validation set do not hash to the sha256 its
 * manifest records. The manifest ties that sha256 to the CID, so only a store that does not check
 * what it serves gets here; the bytes are not used and the fetch is retried at the next poll.
 */
export class ValidationSetHashMismatchError extends FedchainError {
  constructor(taskId: bigint, cid: string, expected: string, actual: string) {
    super('VALIDATION_SET_HASH_MISMATCH', `task ${taskId}: validation set ${cid} hashes to ${actual}, the task manifest says ${expected}`, {
      details: { taskId: taskId.toString(), cid, expected, actual },
      hint: 'the blob store served corrupted or forged bytes; they were not used. This node fetches them again at the next poll; if it keeps happening, check the blob store',
    })
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
