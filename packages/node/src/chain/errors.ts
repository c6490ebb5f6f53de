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
