/**
 * The error every fedchain node failure extends. Callers branch on `code` or `instanceof`;
 * the CLI prints `shortMessage` and `hint` and exits non-zero.
 */
export class FedchainError extends Error {
  readonly code: string
  readonly shortMessage: string
  readonly details: Readonly<Record<string, unknown>> | undefined
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

/** Raised by a CLI command whose checks failed; the report was already printed. */
export class CommandFailedError extends FedchainError {
  constructor(shortMessage: string, hint?: string) {
    super('COMMAND_FAILED', shortMessage, hint === undefined ? {} : { hint })
  }
}
