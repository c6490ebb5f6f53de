import { decodeContractError } from '@fedchain/aggregator-contract'
import type { ContractTransactionResponse, TransactionReceipt } from 'ethers'
import { TransactionFailedError } from './errors.js'
import { isTransientRpcError } from './provider.js'
import { withRetry, type RetryOptions } from './retry.js'

export interface SendAndWaitParameters {
  /** What the transaction does, for errors and logs: `commit round 3`. */
  readonly action: string
  /** Builds and sends the transaction; called again on a transient RPC failure. */
  readonly send: () => Promise<ContractTransactionResponse>
  /** Backoff for transient RPC failures; reverts are never retried. */
  readonly retry?: RetryOptions
  /** Give up waiting for the receipt after this long. @default 60000 */
  readonly receiptTimeoutMs?: number
}

/**
 * Sends a contract transaction and waits for its receipt. Transient RPC failures are retried
 * with backoff; a revert is decoded into the contract package's `ContractRevertError` (named after
 * the custom error) and thrown at once.
 * @throws {ContractRevertError} the contract refused the call
 * @throws {TransactionFailedError} mined with status 0, or no receipt in time
 */
export async function sendAndWait(parameters: SendAndWaitParameters): Promise<TransactionReceipt> {
  const { action } = parameters
  const timeoutMs = parameters.receiptTimeoutMs ?? 60_000
  return withRetry(
    async () => {
      let response: ContractTransactionResponse
      try {
        response = await parameters.send()
      } catch (error) {
        throw decodeContractError(error) ?? error
      }
      let receipt: TransactionReceipt | null
      try {
        receipt = await response.wait(1, timeoutMs)
      } catch (error) {
        const revert = decodeContractError(error)
        if (revert !== undefined) throw revert
        if ((error as { code?: string }).code === 'TIMEOUT') {
          throw new TransactionFailedError(action, `no receipt within ${timeoutMs} ms`, { hash: response.hash }, error)
        }
        throw error
      }
      if (receipt === null || receipt.status !== 1) {
        throw new TransactionFailedError(action, 'the transaction was mined but failed', { hash: response.hash })
      }
      return receipt
    },
    { ...parameters.retry, isRetryable: parameters.retry?.isRetryable ?? isTransientRpcError },
  )
}
