/**
 * Errors thrown by @fedchain/dp. Callers branch on `code` or `instanceof`, never on message text.
 */
export class DpError extends Error {
  readonly code: string
  readonly hint: string | undefined

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.hint = options.hint
  }
}

/** An argument is outside its valid domain (negative σ, q ∉ (0, 1], NaN norm, …). */
export class InvalidArgumentError extends DpError {
  readonly argument: string

  constructor(argument: string, message: string, hint?: string) {
    super('DP_INVALID_ARGUMENT', `${argument}: ${message}`, hint === undefined ? {} : { hint })
    this.argument = argument
  }
}
