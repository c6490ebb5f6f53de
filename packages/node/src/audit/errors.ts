import { FedchainError } from '../errors.js'

/** The run directory holds no chain record (`chain/record.json`). */
export class RunRecordMissingError extends FedchainError {
  readonly path: string

  constructor(path: string, cause?: unknown) {
    super('AUDIT_RECORD_MISSING', `no chain record at ${path}`, {
      details: { path },
      hint: 'pass the --out directory of a `fedchain simulate --coordinator protocol` run, or read a live chain with --rpc <url> --contract <address>',
      cause,
    })
    this.path = path
  }
}

/** The chain record exists but is not a record this build reads. */
export class RunRecordInvalidError extends FedchainError {
  readonly path: string

  constructor(path: string, reason: string, cause?: unknown) {
    super('AUDIT_RECORD_INVALID', `chain record ${path} is unreadable: ${reason}`, {
      details: { path, reason },
      hint: 'the file is truncated or was edited; re-run the simulation, or audit the live chain with --rpc <url> --contract <address>',
      cause,
    })
    this.path = path
  }
}

/** The auditor's X25519 key file is missing or malformed. */
export class AuditorKeyError extends FedchainError {
  readonly path: string

  constructor(path: string, reason: string, cause?: unknown) {
    super('AUDIT_KEY_INVALID', `auditor key ${path} ${reason}`, {
      details: { path, reason },
      hint: 'pass --auditor-key <file>: the auditor X25519 private key as 64 hex characters (a protocol run writes <run>/auditor.key), or a node\'s sealed encryption key file with FEDCHAIN_KEY_PASSWORD set',
      cause,
    })
    this.path = path
  }
}

/** A blob store directory cannot be read. */
export class BlobDirectoryError extends FedchainError {
  readonly path: string

  constructor(path: string, reason: string, cause?: unknown) {
    super('AUDIT_BLOBS_UNREADABLE', `blob store ${path} is unreadable: ${reason}`, {
      details: { path, reason },
      hint: 'pass --blobs <dir> pointing at a node blob store (<node data dir>/blobs) that this user can read',
      cause,
    })
    this.path = path
  }
}

/** The run's `summary.json` (model and strategy as run) is missing or malformed. */
export class RunSummaryError extends FedchainError {
  readonly path: string

  constructor(path: string, reason: string, cause?: unknown) {
    super('AUDIT_SUMMARY_INVALID', `run summary ${path} ${reason}`, {
      details: { path, reason },
      hint: 'the audit needs the model and strategy the run used: restore summary.json as fedchain simulate wrote it, or audit the chain itself with --rpc <url> --contract <address> --strategy <name>',
      cause,
    })
    this.path = path
  }
}

/** The chain history holds no such task, or no such round of it. */
export class TaskNotFoundError extends FedchainError {
  constructor(what: string, available: readonly string[]) {
    super('AUDIT_TASK_NOT_FOUND', `${what} is not on chain`, {
      details: { what, available },
      hint: available.length === 0 ? 'no task was created on this contract; check --contract' : `choose one of: ${available.join(', ')}`,
    })
  }
}

/** A command's options are missing or contradict each other. */
export class AuditOptionsError extends FedchainError {
  constructor(shortMessage: string, hint: string) {
    super('AUDIT_OPTIONS_INVALID', shortMessage, { hint })
  }
}

/** The model to export does not hash to the on-chain hash (or no copy of it could be found). */
export class ModelExportError extends FedchainError {
  constructor(shortMessage: string, details: Record<string, unknown>, hint: string) {
    super('EXPORT_MODEL_UNVERIFIED', shortMessage, { details, hint })
  }
}
