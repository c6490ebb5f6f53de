/**
 * Errors thrown by @fedchain/reputation. Callers branch on `code` or `instanceof`, never on the
 * message text.
 */
export class ReputationError extends Error {
  /** Stable machine-readable code, e.g. `REPUTATION_INVALID_ARGUMENT`. */
  readonly code: string
  /** One-line description of the problem, without the hint. */
  readonly shortMessage: string
  /** Structured values that explain the failure (the offending argument, its value, …). */
  readonly details: Readonly<Record<string, unknown>> | undefined
  /** What to change to make the call succeed. */
  readonly hint: string | undefined

  constructor(
    code: string,
    shortMessage: string,
    options: { details?: Record<string, unknown>; hint?: string; cause?: unknown } = {},
  ) {
    super(options.hint === undefined ? shortMessage : `${shortMessage}\n${options.hint}`, {
      cause: options.cause,
    })
    this.name = new.target.name
    this.code = code
    this.shortMessage = shortMessage
    this.details = options.details
    this.hint = options.hint
  }
}

/** An argument is outside its valid domain (decay above 1.0, quality above 10000 bps, …). */
export class InvalidArgumentError extends ReputationError {
  /** Name of the offending argument, with its path inside an options object (`params.decay`). */
  readonly argument: string

  constructor(argument: string, problem: string, hint?: string) {
    super('REPUTATION_INVALID_ARGUMENT', `${argument}: ${problem}`, {
      details: { argument },
      ...(hint === undefined ? {} : { hint }),
    })
    this.argument = argument
  }
}
