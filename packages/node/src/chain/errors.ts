import { FedchainError } from '../errors.js'

/** The chain's JSON-RPC endpoint did not answer (refused, timed out, not JSON-RPC). */
export class RpcUnreachableError extends FedchainError {
  readonly url: string

  constructor(url: string, reason: string, cause?: unknown) {
    super('CHAIN_RPC_UNREACHABLE', `chain RPC ${url} is unreachable (${reason})`, {
      details: { url, reason },
      hint: 'start a local chain with `fedchain chain start`, or check the --rpc URL and that the node is running',
      cause,
    })
    this.url = url
  }
}

/**
 * A transaction or call reverted. `errorName` and `args` come from the contract's custom error
 * (decoded with its ABI); `errorName` is `'unknown'` when the revert data matched no error.
 */
export class ContractRevertError extends FedchainError {
  readonly errorName: string
  readonly args: readonly unknown[]
  readonly action: string

  constructor(action: string, errorName: string, args: readonly unknown[], cause?: unknown) {
    super('CHAIN_CONTRACT_REVERTED', `${action} reverted: ${errorName}(${args.map(String).join(', ')})`, {
      details: { action, errorName, args },
      hint: hintFor(errorName),
      cause,
    })
    this.errorName = errorName
    this.args = args
    this.action = action
  }
}

/** Hints for the reverts a hospital operator can do something about; others get a generic hint. */
function hintFor(errorName: string): string {
  if (/NotRegistered|NotMember|UnknownHospital/i.test(errorName)) return 'register this node first: `fedchain node start` registers it with its stake'
  if (/Deadline|Late|Closed|Expired/i.test(errorName)) return 'the round phase is over; the node will take part in the next round'
  if (/Stake|Balance|Allowance/i.test(errorName)) return 'fund the node wallet with FED tokens for the stake (see `fedchain status`)'
  return 'see the contract README for when this error is raised'
}

/** A transaction was mined but failed, or was never mined within the wait limit. */
export class TransactionFailedError extends FedchainError {
  constructor(action: string, reason: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super('CHAIN_TRANSACTION_FAILED', `${action} failed: ${reason}`, {
      details: { action, ...details },
      hint: 'the node retries on its own; if this persists, check the chain with `fedchain doctor --rpc <url>`',
      cause,
    })
  }
}
