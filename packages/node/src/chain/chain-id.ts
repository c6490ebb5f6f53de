/** What a JSON-RPC endpoint answered to `eth_chainId`. */
export type ChainIdAnswer =
  | { readonly kind: 'chain-id'; readonly chainId: bigint }
  /** An HTTP error status: something answers, perhaps not a JSON-RPC endpoint. */
  | { readonly kind: 'http-error'; readonly status: number }
  /** A JSON answer without a chain id, with the endpoint's own error message if it sent one. */
  | { readonly kind: 'no-chain-id'; readonly rpcError: string | undefined }
  /** No usable answer in time: refused, timed out, or not JSON. */
  | { readonly kind: 'unreachable'; readonly reason: string; readonly cause: unknown }

/**
 * Asks an endpoint for its chain id with one plain `fetch`, so callers can tell an absent chain
 * from a wrong URL before ethers starts retrying network detection. Never throws.
 */
export async function requestChainId(url: string, timeoutMs: number): Promise<ChainIdAnswer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    })
    if (!response.ok) return { kind: 'http-error', status: response.status }
    const body = (await response.json()) as { result?: unknown; error?: { message?: string } }
    if (typeof body.result !== 'string') return { kind: 'no-chain-id', rpcError: body.error?.message }
    return { kind: 'chain-id', chainId: BigInt(body.result) }
  } catch (error) {
    const failure = error as Error & { cause?: { code?: string } }
    const reason = failure.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (failure.cause?.code ?? failure.message)
    return { kind: 'unreachable', reason, cause: error }
  }
}
