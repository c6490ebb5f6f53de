/**
 * The error every @fedchain/dp failure extends (the same shape as the other fedchain packages'
 * errors). Callers branch on `code` or `instanceof`, never on message text; a CLI prints
 * `shortMessage` and `hint`.
 */
export class DpError extends Error {
  /** Stable machine-readable code, e.g. `DP_BUDGET_EXCEEDED`. */
  readonly code: string
  /** One-line description of the problem, without the hint. */
  readonly shortMessage: string
  /** Structured values that explain the failure. */
  readonly details: Readonly<Record<string, unknown>> | undefined
  /** What to change to make the call succeed. */
  readonly hint: string | undefined

  constructor(code: string, shortMessage: string, options: { details?: Record<string, unknown>; hint?: string; cause?: unknown } = {}) {
    super(options.hint === undefined ? shortMessage : `${shortMessage}\n${options.hint}`, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.shortMessage = shortMessage
    this.details = options.details
    this.hint = options.hint
  }
}

/** An argument is outside its valid domain (negative σ, q ∉ (0, 1], NaN norm, …). */
export class InvalidArgumentError extends DpError {
  /** Name of the offending argument, e.g. `sampleRate` or `norms[3]`. */
  readonly argument: string

  constructor(argument: string, problem: string, hint?: string) {
    super('DP_INVALID_ARGUMENT', `${argument}: ${problem}`, { details: { argument }, ...(hint === undefined ? {} : { hint }) })
    this.argument = argument
  }
}

/** A serialized accountant could not be restored (wrong shape, version or values). */
export class AccountantStateError extends DpError {
  constructor(problem: string, cause?: unknown) {
    super('DP_ACCOUNTANT_STATE_INVALID', `invalid accountant state: ${problem}`, {
      hint: 'pass the value produced by RdpAccountant.prototype.toJSON',
      ...(cause === undefined ? {} : { cause }),
    })
  }
}

/**
 * A step was refused because it would take the task's ε past its budget. Nothing was recorded.
 * `epsilonSpent` is the ε already spent, `epsilonRequested` the ε the step would have led to.
 */
export class PrivacyBudgetExceededError extends DpError {
  /** The task whose budget would be exceeded. */
  readonly taskId: string
  /** ε already spent (unchanged by the refused step). */
  readonly epsilonSpent: number
  /** ε the refused step would have led to. */
  readonly epsilonRequested: number
  /** The task's ε budget. */
  readonly epsilonBudget: number
  /** δ of the guarantee. */
  readonly delta: number

  constructor(details: { taskId: string; epsilonSpent: number; epsilonRequested: number; epsilonBudget: number; delta: number }) {
    super(
      'DP_BUDGET_EXCEEDED',
      `task ${details.taskId}: this step would raise ε from ${fmt(details.epsilonSpent)} to ${fmt(details.epsilonRequested)}, ` +
        `over the budget ε = ${fmt(details.epsilonBudget)} (δ = ${details.delta})`,
      { details, hint: 'stop training this task, or take the step with a larger noise multiplier or fewer steps' },
    )
    this.taskId = details.taskId
    this.epsilonSpent = details.epsilonSpent
    this.epsilonRequested = details.epsilonRequested
    this.epsilonBudget = details.epsilonBudget
    this.delta = details.delta
  }
}

/** A ledger file is unreadable, corrupted, or was created with a different budget or δ. */
export class LedgerStateError extends DpError {
  /** Path of the ledger file. */
  readonly path: string

  constructor(path: string, problem: string, options: { hint?: string; cause?: unknown } = {}) {
    super('DP_LEDGER_STATE_INVALID', `privacy ledger ${path}: ${problem}`, {
      details: { path },
      hint: options.hint ?? 'restore the file from a backup; never delete it to reset a budget',
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    })
    this.path = path
  }
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : String(x)
}

/**
 * A noise schedule cannot meet its budget: the target is unreachable for the given rounds, or
 * the rounds recorded so far already spent it.
 */
export class ScheduleInfeasibleError extends DpError {
  /** ε spent by the rounds completed so far. */
  readonly epsilonSpent: number
  /** The schedule's total ε. */
  readonly targetEpsilon: number

  constructor(problem: string, details: { epsilonSpent: number; targetEpsilon: number }, hint?: string) {
    super('DP_SCHEDULE_INFEASIBLE', `noise schedule: ${problem}`, {
      details,
      hint: hint ?? 'raise the target ε, lower the number of rounds or local steps, or lower the sampling rate',
    })
    this.epsilonSpent = details.epsilonSpent
    this.targetEpsilon = details.targetEpsilon
  }
}
