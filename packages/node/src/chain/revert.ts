import type { Interface } from 'ethers'
import { ContractRevertError } from './errors.js'

/** Finds the revert data (0x-prefixed hex) in an ethers error or its causes. */
export function revertData(error: unknown): string | undefined {
  const seen = new Set<unknown>()
  let current: unknown = error
  while (current !== null && typeof current === 'object' && !seen.has(current)) {
    seen.add(current)
    const candidate = current as { data?: unknown; error?: unknown; info?: { error?: unknown }; cause?: unknown }
    if (typeof candidate.data === 'string' && candidate.data.startsWith('0x') && candidate.data.length >= 10) return candidate.data
    if (candidate.data !== null && typeof candidate.data === 'object') {
      const nested = (candidate.data as { data?: unknown }).data
      if (typeof nested === 'string' && nested.startsWith('0x') && nested.length >= 10) return nested
    }
    current = candidate.error ?? candidate.info?.error ?? candidate.cause
  }
  return undefined
}

/**
 * Turns a revert into a {@link ContractRevertError} named after the contract's custom error.
 * @returns undefined when `error` is not a revert (a network failure, say)
 */
export function decodeRevert(error: unknown, contractInterface: Interface, action: string): ContractRevertError | undefined {
  const data = revertData(error)
  if (data === undefined) {
    const code = (error as { code?: string }).code
    return code === 'CALL_EXCEPTION' ? new ContractRevertError(action, 'unknown', [], error) : undefined
  }
  const parsed = contractInterface.parseError(data)
  if (parsed === null) return new ContractRevertError(action, 'unknown', [data], error)
  return new ContractRevertError(action, parsed.name, [...parsed.args], error)
}
