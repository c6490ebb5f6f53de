import { FedchainError } from '../errors.js'

/** Codes of {@link ProcessCoordinatorError}. */
export type ProcessCoordinatorErrorCode = 'PROCESS_START_FAILED' | 'PROCESS_EXITED' | 'ROUND_MODEL_UNAVAILABLE' | 'ROUND_TIMEOUT'

/**
 * A child process failed to start or died, or a round's model could not be fetched or checked.
 *
 * Its own module because both the child-process supervisor (`child-processes.ts`) and the
 * protocol (`process-coordinator.ts`, which re-exports it) throw it.
 */
export class ProcessCoordinatorError extends FedchainError {
  constructor(code: ProcessCoordinatorErrorCode, shortMessage: string, hint: string, details: Record<string, unknown> = {}) {
    super(code, shortMessage, { hint, details })
  }
}
