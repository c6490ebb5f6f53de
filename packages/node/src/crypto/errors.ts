import { FedchainError } from '../errors.js'

/** The envelope lists no key slot for this node's X25519 public key. */
export class EnvelopeWrongRecipientError extends FedchainError {
  constructor(recipientPublicKeyHex: string, recipients: number) {
    super('ENVELOPE_WRONG_RECIPIENT', `the envelope is not addressed to encryption key ${recipientPublicKeyHex.slice(0, 16)}…`, {
      details: { recipientPublicKey: recipientPublicKeyHex, recipients },
      hint: 'only the round committee can decrypt an update; check that this node is on the committee and uses the key it registered on chain',
    })
  }
}

/** Authentication failed: the ciphertext, the header or the associated data was changed. */
export class EnvelopeTamperedError extends FedchainError {
  readonly part: 'wrapped-key' | 'payload'

  constructor(part: 'wrapped-key' | 'payload', cause?: unknown) {
    super('ENVELOPE_TAMPERED', `the envelope failed authentication (${part}): it was modified or is not for this task, round and sender`, {
      details: { part },
      hint: 'discard the update and report the sender; a correct update decrypts with the task, round and sender it was sealed for',
      cause,
    })
    this.part = part
  }
}

/** The envelope ends before its header says it should. */
export class EnvelopeTruncatedError extends FedchainError {
  constructor(expectedBytes: number, actualBytes: number) {
    super('ENVELOPE_TRUNCATED', `the envelope is truncated: ${actualBytes} bytes, its header needs ${expectedBytes}`, {
      details: { expectedBytes, actualBytes },
      hint: 'fetch the blob again; a blob store checks the CID, so a truncated envelope was truncated before it was stored',
    })
  }
}

/** The envelope's version or suite byte is not one this node understands. */
export class EnvelopeVersionError extends FedchainError {
  constructor(version: number, suite: number) {
    super('ENVELOPE_UNKNOWN_VERSION', `unknown envelope version ${version} (suite ${suite}); this node reads version 1, suite 1`, {
      details: { version, suite },
      hint: 'upgrade the node; every hospital of a task must run a release that reads the same envelope version',
    })
  }
}

/** The bytes are not an envelope, or a header field is out of range. */
export class EnvelopeMalformedError extends FedchainError {
  constructor(reason: string) {
    super('ENVELOPE_MALFORMED', `not a valid update envelope: ${reason}`, { details: { reason } })
  }
}

/** The envelope was sealed for another task, round or sender than the caller expects. */
export class EnvelopeContextMismatchError extends FedchainError {
  readonly field: 'taskId' | 'round' | 'sender'

  constructor(field: 'taskId' | 'round' | 'sender', expected: string, actual: string) {
    super('ENVELOPE_CONTEXT_MISMATCH', `the envelope was sealed for ${field} ${actual}, expected ${expected}`, {
      details: { field, expected, actual },
      hint: 'an update replayed from another round, task or sender is rejected; fetch the CID announced for this round',
    })
    this.field = field
  }
}

/** An argument to encryption (recipient key, context) is invalid. */
export class EncryptionInputError extends FedchainError {
  constructor(argument: string, reason: string) {
    super('ENCRYPTION_INPUT_INVALID', `invalid ${argument}: ${reason}`, { details: { argument, reason } })
  }
}

/** The environment variable that should hold the key password is unset or empty. */
export class KeyPasswordMissingError extends FedchainError {
  constructor(envVar: string) {
    super('KEY_PASSWORD_MISSING', `no key password: environment variable ${envVar} is unset or empty`, {
      details: { envVar },
      hint: `export ${envVar}=<password> before running the command`,
    })
  }
}

/** A key file could not be decrypted with the given password. */
export class KeyPasswordInvalidError extends FedchainError {
  constructor(file: string, cause?: unknown) {
    super('KEY_PASSWORD_INVALID', `wrong password for key file ${file}`, {
      details: { file },
      hint: 'use the password the identity was created with; it cannot be recovered',
      cause,
    })
  }
}

/** A key file is readable by other users. */
export class KeyFileInsecureError extends FedchainError {
  constructor(file: string, mode: number) {
    const octal = (mode & 0o777).toString(8).padStart(3, '0')
    super('KEY_FILE_INSECURE', `key file ${file} has permissions ${octal}; it must be readable by its owner only`, {
      details: { file, mode: octal },
      hint: `run: chmod 600 ${file}`,
    })
  }
}

/** A key file exists but is not in the expected format. */
export class KeyFileInvalidError extends FedchainError {
  constructor(file: string, reason: string, cause?: unknown) {
    super('KEY_FILE_INVALID', `key file ${file} is invalid: ${reason}`, {
      details: { file, reason },
      hint: 'restore the key files from a backup, or create a new identity in an empty data dir (a new identity must be registered again)',
      cause,
    })
  }
}

/** `createNodeIdentity` was asked to overwrite key files. */
export class IdentityExistsError extends FedchainError {
  constructor(dir: string) {
    super('IDENTITY_EXISTS', `a node identity already exists in ${dir}`, {
      details: { dir },
      hint: 'load it with loadNodeIdentity, or choose another data dir; key files are never overwritten',
    })
  }
}

/** `loadNodeIdentity` found no key files. */
export class IdentityMissingError extends FedchainError {
  constructor(dir: string, missing: readonly string[]) {
    super('IDENTITY_MISSING', `no node identity in ${dir} (missing ${missing.join(', ')})`, {
      details: { dir, missing },
      hint: 'run `fedchain node init` to create the keys',
    })
  }
}

/** A signed gossip payload's signature is malformed. */
export class SignatureInvalidError extends FedchainError {
  constructor(reason: string, cause?: unknown) {
    super('SIGNATURE_INVALID', `invalid signature: ${reason}`, { details: { reason }, cause })
  }
}
