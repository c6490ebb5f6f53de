import { formatUnits, Interface, isHexString, ZeroHash } from 'ethers'
import { MINTER_ROLE, TASK_CREATOR_ROLE } from './constants.js'
import { aggregatorContractAbi, fedTokenAbi } from './generated/artifacts.js'
import { HOSPITAL_STATUS_NAMES, TASK_STATUS_NAMES, TaskStatus } from './types.js'

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
      hint: hintFor(errorName, args),
      cause,
    })
    this.name = 'ContractRevertError'
    this.errorName = errorName
    this.args = args
    this.entryError = entryError
  }
}

/** Names of the roles the contracts check (`AccessControlUnauthorizedAccount.neededRole`). */
const ROLE_NAMES: Readonly<Record<string, string>> = {
  [ZeroHash]: 'governance',
  [TASK_CREATOR_ROLE]: 'task-creator',
  [MINTER_ROLE]: 'minter',
}

/** An argument as the message shows it: status enums and roles by name (`details` keeps the raw values). */
function shownValue(errorName: string, key: string, value: unknown): string {
  if (key === 'status' && errorName === 'AggregatorTaskNotReady') return TASK_STATUS_NAMES[Number(value) as TaskStatus] ?? String(value)
  if (key === 'status' && errorName === 'AggregatorHospitalNotActive') return HOSPITAL_STATUS_NAMES[Number(value) as keyof typeof HOSPITAL_STATUS_NAMES] ?? String(value)
  if (key === 'neededRole' && typeof value === 'string') return ROLE_NAMES[value.toLowerCase()] ?? value
  return String(value)
}

function signatureOf(errorName: string, args: Record<string, unknown>, entryError?: ContractRevertError): string {
  const shown = Object.entries(args).map(([k, v]) =>
    k === 'reason' && entryError !== undefined
      ? `${k}=${signatureOf(entryError.errorName, { ...entryError.args })}`
      : `${k}=${shownValue(errorName, k, v)}`,
  )
  return `${errorName}(${shown.join(', ')})`
}

type Hint = string | ((args: Readonly<Record<string, unknown>>) => string)

const statusHint = (taskId: unknown) => `\`fedchain status --rpc <url> --contract <address> --task ${String(taskId)}\` shows the task\u2019s rounds`
const FED = (wad: unknown) => `${formatUnits(BigInt(wad as bigint), 18)} FED`

/**
 * What to do about the custom errors a user can meet (from the CLI or the node); the rest are
 * protocol bugs or races the node handles itself.
 */
const REVERT_HINTS: Readonly<Record<string, Hint>> = {
  AggregatorUnknownTask: (a) => `task ${String(a['taskId'])} does not exist on this contract; use the id \`fedchain task create\` printed, and check --contract`,
  AggregatorTaskNotReady: (a) => {
    const task = String(a['taskId'])
    switch (Number(a['status'])) {
      case TaskStatus.RoundOpen:
        return `a round of task ${task} is still open: wait until it is finalized or aborted (${statusHint(task)}), then launch the next; \`fedchain round launch --wait\` launches a round and waits for its end`
      case TaskStatus.Completed:
        return `task ${task} has finalized all its rounds; create a new task with \`fedchain task create\` to train further`
      case TaskStatus.Closed:
        return `task ${task} was closed by its owner; create a new task with \`fedchain task create\``
      default:
        return statusHint(task)
    }
  },
  AggregatorNotEnoughHospitals: (a) =>
    `the task needs ${String(a['required'])} active hospital${Number(a['required']) === 1 ? '' : 's'} and the consortium has ${String(a['active'])}: start nodes (\`fedchain node start\`) and wait until they are admitted${Number(a['required']) > 1 ? ', or create a task with a lower --min-participants' : ''}`,
  AggregatorTooManyOpenRounds: (a) => `${String(a['max'])} tasks already have a round open; wait until one of them is finalized or aborted`,
  AggregatorNotHospital: 'apply with applyForMembership() (`fedchain node start` does it) and wait for admission by governance or a \u2154 vote',
  AggregatorHospitalNotActive: (a) => `the hospital is ${shownValue('AggregatorHospitalNotActive', 'status', a['status'])}, not active; only an active hospital can do this`,
  AggregatorNotApplicant: (a) => `${String(a['account'])} has not applied for membership (or was already admitted); its node applies when \`fedchain node start\` runs, and \`fedchain status\` shows the hospitals`,
  AggregatorAlreadyApplied: 'this account already applied; wait for admission, or check its status with `fedchain status`',
  AggregatorAlreadyVoted: 'each member votes once per candidate; nothing to do',
  AggregatorAlreadyCommitted: 'this hospital already committed in this round; nothing to do',
  AggregatorAlreadyShared: 'this hospital already shared its update in this round; nothing to do',
  AggregatorAlreadySubmitted: 'this member already submitted its verdict for this round; nothing to do',
  AggregatorNotCommitted: 'only a hospital that committed in this round can share; wait for the next round',
  AggregatorNotCommitteeMember: 'only members of the round\u2019s committee submit verdicts',
  AggregatorRoundNotOpen: (a) => `round ${String(a['round'])} of task ${String(a['taskId'])} is not open; ${statusHint(a['taskId'])}`,
  AggregatorNotTaskOwner: (a) => `only the owner of task ${String(a['taskId'])} can do this; use the key that created it`,
  AggregatorCommitPhaseClosed: 'the commit deadline passed; wait for the next round',
  AggregatorSharePhaseClosed: 'the share deadline passed; the update counts as absent in this round',
  AggregatorVerifyPhaseClosed: 'the verify deadline passed; the round can now be finalized (with a quorum) or aborted',
  AggregatorCommitmentMismatch: 'share the exact (updateHash, sampleCount, salt) used for the commitment',
  AggregatorSharePhaseNotStarted: 'shares open after the commit deadline; retry then',
  AggregatorVerifyPhaseNotStarted: 'verdicts open after the share deadline (or once every committed hospital shared)',
  AggregatorQuorumNotReached: 'wait for more committee verdicts, or abort the round after its verify deadline',
  AggregatorQuorumAlreadyReached: 'the committee reached a quorum: finalize the round instead of aborting it',
  AggregatorAbortTooEarly: (a) => `the round can be aborted only after its deadline (${String(a['deadline'])}, unix seconds); wait until then`,
  AggregatorRoundAlreadyClosed: 'the round was already finalized or aborted; nothing to do',
  AggregatorCommittedToOpenRound: 'wait until the round is finalized or aborted, then withdraw',
  AggregatorNothingToClaim: 'rewards are credited when a round you took part in is finalized',
  AggregatorExitNotRequested: 'request the exit first (requestExit()), then withdraw after the exit delay',
  AggregatorExitDelayNotElapsed: 'wait until the exit delay has passed',
  AggregatorStakeTooLow: (a) => `stake at least the consortium minimum of ${FED(a['minimum'])} (got ${FED(a['stake'])}); \`fedchain node start --stake\` sets it`,
  AggregatorRegistryFull: (a) => `the consortium already admitted its maximum of ${String(a['maxHospitals'])} hospitals`,
  AggregatorBatchEntryRejected:
    'nothing in the batch was recorded: drop or fix the entry at `index` (its own error is `reason`) and resubmit',
  AggregatorInvalidSignature:
    'the entry must be signed by its hospital for this round, task, aggregator and chain (signCommit / signShare)',
  AccessControlUnauthorizedAccount: (a) => {
    const role = shownValue('AccessControlUnauthorizedAccount', 'neededRole', a['neededRole'])
    return role === 'governance'
      ? `${String(a['account'])} is not the consortium's governance account; sign with the governance key (--key-env)`
      : `${String(a['account'])} lacks the ${role} role; sign with a key that holds it (the governance key by default, --key-env) or have governance grant it`
  },
  ERC20InsufficientBalance: (a) => `${String(a['sender'])} holds ${FED(a['balance'])} and needs ${FED(a['needed'])}; send it FED tokens`,
  ERC20InsufficientAllowance: (a) => `${String(a['spender'])} may move only ${FED(a['allowance'])} and needs ${FED(a['needed'])}; approve a larger allowance first`,
}

function hintFor(errorName: string, args: Readonly<Record<string, unknown>>): string | undefined {
  const hint = REVERT_HINTS[errorName]
  if (typeof hint !== 'function') return hint
  try {
    return hint(args)
  } catch {
    // Arguments of an unexpected shape (hand-made revert data): no hint rather than no error.
    return undefined
  }
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
