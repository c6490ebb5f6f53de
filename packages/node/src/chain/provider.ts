import { JsonRpcProvider, Network } from 'ethers'
import { requestChainId } from './chain-id.js'
import { RpcUnreachableError } from './errors.js'

export interface ConnectRpcParameters {
  /** JSON-RPC endpoint, e.g. http://127.0.0.1:8545. */
  readonly url: string
  /** How long to wait for the chain id. @default 5000 */
  readonly timeoutMs?: number
}

/**
 * Connects to a JSON-RPC EVM endpoint and pins its network, so a later outage surfaces as an error
 * on the call that hit it instead of ethers retrying network detection forever.
 * @throws {RpcUnreachableError} when the endpoint does not return a chain id in time
 */
export async function connectRpc({ url, timeoutMs = 5_000 }: ConnectRpcParameters): Promise<JsonRpcProvider> {
  const answer = await requestChainId(url, timeoutMs)
  if (answer.kind === 'http-error') throw new RpcUnreachableError(url, `HTTP ${answer.status}`)
  if (answer.kind === 'no-chain-id') throw new RpcUnreachableError(url, 'the answer holds no chain id; is this a JSON-RPC endpoint?')
  if (answer.kind === 'unreachable') throw new RpcUnreachableError(url, answer.reason, answer.cause)
  const { chainId } = answer
  // No request cache and no batching: a node sends transactions back to back, and ethers' 250 ms
  // cache would hand the second one the first one's `eth_getTransactionCount` (the same nonce).
  return new JsonRpcProvider(url, Network.from(chainId), { staticNetwork: true, pollingInterval: 250, cacheTimeout: -1, batchMaxCount: 1 })
}

/** Errors worth retrying: the endpoint was briefly unreachable or overloaded, not a revert. */
export function isTransientRpcError(error: unknown): boolean {
  if (error instanceof RpcUnreachableError) return true
  const code = (error as { code?: string }).code
  if (code === 'NETWORK_ERROR' || code === 'SERVER_ERROR' || code === 'TIMEOUT' || code === 'ECONNREFUSED' || code === 'ECONNRESET') return true
  const message = error instanceof Error ? error.message : ''
  return /ECONNREFUSED|ECONNRESET|socket hang up|fetch failed|timeout/i.test(message)
}
