import { Interface, isHexString } from 'ethers'
import { aggregatorContractAbi, fedTokenAbi } from './generated/artifacts.js'

/** Fields every fedchain error carries. */
export interface AggregatorErrorInit {
  readonly code: string
  readonly shortMessage: string
  readonly details?: Readonly<Record<string, unknown>>
  readonly hint?: string
  readonly cause?: unknown
}

/**
 * Base class of the errors this package throws. Callers branch on `code` (or `instanceof`), never
 * on the message text.
 */
export class AggregatorError extends Error {
  /** Stable machine-readable code, e.g. `CONTRACT_REVERT`. */
  readonly code: string
  /** One line saying what went wrong. */
  readonly shortMessage: string
  /** The values involved. */
  readonly details: Readonly<Record<string, unknown>>
  /** What to do about it, when known. */
  readonly hint: string | undefined

  constructor(init: AggregatorErrorInit) {
    super(init.hint === undefined ? init.shortMessage : `${init.shortMessage}\n${init.hint}`, { cause: init.cause })
    this.name = 'AggregatorError'
    this.code = init.code
    this.shortMessage = init.shortMessage
    this.details = init.details ?? {}
    this.hint = init.hint
  }
}

/** A transaction or call reverted with one of the contracts' custom errors. */
export class ContractRevertError extends AggregatorError {
  /** The Solidity error's name, e.g. `AggregatorAlreadyCommitted`. */
  readonly errorName: string
  /** The error's arguments by name (bigint for integers). */
  readonly args: Readonly<Record<string, unknown>>
  /**
   * For `AggregatorBatchEntryRejected`: the rejected entry's own error (`args.reason` decoded), e.g.
   * `AggregatorAlreadyCommitted`; otherwise undefined.
   */
  readonly entryError: ContractRevertError | undefined

  constructor(errorName: string, args: Record<string, unknown>, cause: unknown, entryError?: ContractRevertError) {
    super({
      code: 'CONTRACT_REVERT',
      shortMessage: `contract reverted with ${signatureOf(errorName, args, entryError)}`,
      details: entryError === undefined ? args : { ...args, entryError: entryError.errorName, entryArgs: entryError.args },
      hint: REVERT_HINTS[errorName],
      cause,
    })
    this.name = 'ContractRevertError'
    this.errorName = errorName
    this.args = args
    this.entryError = entryError
  }
}

function signatureOf(errorName: string, args: Record<string, unknown>, entryError?: ContractRevertError): string {
  const shown = Object.entries(args).map(([k, v]) =>
    k === 'reason' && entryError !== undefined
      ? `${k}=${signatureOf(entryError.errorName, { ...entryError.args })}`
      : `${k}=${String(v)}`,
  )
  return `${errorName}(${shown.join(', ')})`
}

const REVERT_HINTS: Readonly<Record<string, string>> = {
  AggregatorNotHospital: 'apply with applyForMembership() and wait for admission by governance or a ⅔ vote',
  AggregatorCommitPhaseClosed: 'the commit deadline passed; wait for the next round',
  AggregatorCommitmentMismatch: 'share the exact (updateHash, sampleCount, salt) used for the commitment',
  AggregatorSharePhaseNotStarted: 'shares open after the commit deadline; retry then',
  AggregatorVerifyPhaseNotStarted: 'verdicts open after the share deadline (or once every committed hospital shared)',
  AggregatorQuorumNotReached: 'wait for more committee verdicts, or abort the round after its verify deadline',
  AggregatorRoundAlreadyClosed: 'the round was already finalized or aborted; nothing to do',
  AggregatorCommittedToOpenRound: 'wait until the round is finalized or aborted, then withdraw',
  AggregatorNothingToClaim: 'rewards are credited when a round you took part in is finalized',
  AggregatorExitDelayNotElapsed: 'wait until the exit delay has passed',
  AggregatorStakeTooLow: 'stake at least the consortium minimum (consortiumConfig())',
  AggregatorBatchEntryRejected:
    'nothing in the batch was recorded: drop or fix the entry at `index` (its own error is `reason`) and resubmit',
  AggregatorInvalidSignature:
    'the entry must be signed by its hospital for this round, task, aggregator and chain (signCommit / signShare)',
}

const contractInterface = new Interface([
  ...aggregatorContractAbi.filter((item) => item.type === 'error'),
  ...fedTokenAbi.filter(
    (item) => item.type === 'error' && !aggregatorContractAbi.some((a) => a.type === 'error' && a.name === item.name),
  ),
])

/** Finds revert data (0x-prefixed hex) anywhere in an ethers/EIP-1193 error's cause chain. */
function findRevertData(error: unknown, depth = 0): string | undefined {
  if (depth > 6 || error === null || typeof error !== 'object') return undefined
  const record = error as Record<string, unknown>
  const data = record['data']
  if (typeof data === 'string' && isHexString(data) && data.length >= 10) return data
  for (const key of ['data', 'error', 'info', 'cause', 'revert']) {
    const found = findRevertData(record[key], depth + 1)
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * Decodes a failed call or transaction into a {@link ContractRevertError} naming the contract's
 * custom error, or returns `undefined` when the error carries no known revert data.
 * @param error Whatever ethers threw.
 * @example
 * ```ts
 * try { await aggregator.commit(taskId, round, commitment) }
 * catch (e) { const revert = decodeContractError(e); if (revert?.errorName === 'AggregatorCommitPhaseClosed') … }
 * ```
 */
export function decodeContractError(error: unknown): ContractRevertError | undefined {
  const data = findRevertData(error)
  return data === undefined ? undefined : decodeRevertData(data, error)
}

function decodeRevertData(data: string, cause: unknown): ContractRevertError | undefined {
  let parsed: ReturnType<Interface['parseError']>
  try {
    parsed = contractInterface.parseError(data)
  } catch {
    return undefined
  }
  if (parsed === null) return undefined
  const args: Record<string, unknown> = {}
  parsed.fragment.inputs.forEach((input, i) => {
    args[input.name === '' ? String(i) : input.name] = parsed.args[i]
  })
  // A rejected batch entry carries the revert data of the entry's own error: decode it too.
  const reason = args['reason']
  const entryError =
    parsed.name === 'AggregatorBatchEntryRejected' && typeof reason === 'string' && reason.length >= 10
      ? decodeRevertData(reason, cause)
      : undefined
  return new ContractRevertError(parsed.name, args, cause, entryError)
}

/**
 * Runs `action` and rethrows a contract revert as a {@link ContractRevertError} (other errors unchanged).
 * @param action An ethers call or transaction (awaited up to its receipt if you await `.wait()` inside).
 */
export async function withDecodedErrors<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action()
  } catch (error) {
    throw decodeContractError(error) ?? error
  }
}
