/**
 * Looks through an ethers error and the JSON-RPC errors it wraps (`error`, `info`, `cause`) for a
 * record that passes `test`: ethers nests the node's own error, and dev chains word it their own way.
 */
export function findInRpcError(error: unknown, test: (record: Record<string, unknown>) => boolean, depth = 0): Record<string, unknown> | undefined {
  if (depth > 6 || error === null || typeof error !== 'object') return undefined
  const record = error as Record<string, unknown>
  if (test(record)) return record
  for (const key of ['error', 'info', 'cause']) {
    const found = findInRpcError(record[key], test, depth + 1)
    if (found !== undefined) return found
  }
  return undefined
}

const FUNDS_MESSAGE = /insufficient funds|enough funds/i

/**
 * Whether sending failed for lack of ether: ethers' `INSUFFICIENT_FUNDS`, or a chain's own wording
 * that ethers leaves unclassified (Hardhat's "Sender doesn't have enough funds").
 */
export function isInsufficientFunds(error: unknown): boolean {
  return findInRpcError(error, (r) => r['code'] === 'INSUFFICIENT_FUNDS' || (typeof r['message'] === 'string' && FUNDS_MESSAGE.test(r['message']))) !== undefined
}
