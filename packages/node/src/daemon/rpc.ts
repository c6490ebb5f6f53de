import { JsonRpcProvider } from 'ethers'
import { connectRpc } from '../chain/provider.js'

/**
 * `connectRpc` (reachability check with a clear error) plus a provider without ethers' 250 ms
 * request cache and batching: a node sends several transactions back to back, and a cached
 * `eth_getTransactionCount` would hand the second one the first one's nonce.
 * @throws {RpcUnreachableError} the endpoint does not answer
 */
export async function connectNodeRpc(url: string): Promise<JsonRpcProvider> {
  const probe = await connectRpc({ url })
  const network = await probe.getNetwork()
  probe.destroy()
  return new JsonRpcProvider(url, network, { staticNetwork: network, cacheTimeout: -1, batchMaxCount: 1, pollingInterval: 250 })
}
