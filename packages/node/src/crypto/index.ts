/**
 * @packageDocumentation
 * Node identity (chain wallet, libp2p Ed25519 key, X25519 encryption key in 0600 key files) and
 * hybrid encryption of model updates to a round's committee (X25519 + HKDF-SHA256 + AES-256-GCM),
 * with Node's `crypto` only.
 *
 * @example
 * ```ts
 * import { createNodeIdentity, encryptUpdate, decryptUpdate } from './crypto/index.js'
 * const me = await createNodeIdentity({ dataDir, passwordEnv: 'FEDCHAIN_KEY_PASSWORD' })
 * const context = { taskId: 'breast-cancer', round: 1n, sender: me.address }
 * const envelope = encryptUpdate({ payload: delta, recipients: [committeeKey], context })
 * const bytes = decryptUpdate({ envelope, recipient: committeeMember.encryption, expected: context })
 * ```
 */
export {
  ENVELOPE_VERSION,
  MAX_PAYLOAD_BYTES,
  MAX_RECIPIENTS,
  DEFAULT_PASSWORD_ENV,
  DEFAULT_SCRYPT_N,
  X25519_KEY_BYTES,
} from './constants.js'
export {
  EncryptionInputError,
  EnvelopeContextMismatchError,
  EnvelopeMalformedError,
  EnvelopeTamperedError,
  EnvelopeTruncatedError,
  EnvelopeVersionError,
  EnvelopeWrongRecipientError,
  IdentityExistsError,
  IdentityMissingError,
  KeyFileInsecureError,
  KeyFileInvalidError,
  KeyPasswordInvalidError,
  KeyPasswordMissingError,
  SignatureInvalidError,
} from './errors.js'
export type { EnvelopeContext, EnvelopeHeader, EnvelopeRecipientSlot } from './envelope-format.js'
export { encryptUpdate, decryptUpdate, envelopeSize, readEnvelopeHeader, type EncryptUpdateParameters, type DecryptUpdateParameters } from './hybrid-encryption.js'
export {
  createNodeIdentity,
  createEphemeralIdentity,
  loadNodeIdentity,
  loadOrCreateNodeIdentity,
  identityFiles,
  type NodeIdentity,
  type NodeIdentityParameters,
} from './identity.js'
export { recoverSigner, signBytes, type MessageSigner } from './signatures.js'
export { exportX25519PrivateKey, generateX25519KeyPair, x25519KeyPairFromPrivateKey, type X25519KeyPair } from './x25519.js'
