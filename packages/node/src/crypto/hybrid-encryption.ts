import { generateKeyPairSync, hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto'
import { getAddress } from 'ethers'
import { openChunked, openSmall, sealInto, sealSmall } from './aes-gcm-stream.js'
import { CONTENT_KEY_BYTES, GCM_IV_BYTES, GCM_TAG_BYTES, MAX_PAYLOAD_BYTES, MAX_RECIPIENTS, RECIPIENT_ENTRY_BYTES, WRAP_HKDF_INFO, X25519_KEY_BYTES } from './constants.js'
import { envelopeLength, normalizeContext, parseEnvelopeHeader, writeContextHeader, type EnvelopeContext, type EnvelopeHeader } from './envelope-format.js'
import { EncryptionInputError, EnvelopeContextMismatchError, EnvelopeTamperedError, EnvelopeWrongRecipientError } from './errors.js'
import { x25519PublicKeyFromRaw, x25519SharedSecret, type X25519KeyPair } from './x25519.js'

/** Parameters of {@link encryptUpdate}. */
export interface EncryptUpdateParameters {
  /** The update bytes; a `Float32Array` (or any typed array) is encrypted as its underlying bytes. */
  readonly payload: Uint8Array | ArrayBufferView
  /** Raw X25519 public keys of the recipients (the round committee), 32 bytes each. */
  readonly recipients: readonly Uint8Array[]
  /** Task, round and sender the envelope is bound to. */
  readonly context: EnvelopeContext
  /**
   * Buffer to write the envelope into (at least {@link envelopeSize} bytes); the result is a view of
   * it. Reusing one buffer across rounds avoids faulting in fresh pages for every update, which
   * costs more than the encryption itself at 64 MB. It must not overlap `payload`, and must not be
   * reused before the previous envelope has been stored (`await store.put(envelope)`).
   */
  readonly output?: Uint8Array
}

/** Parameters of {@link decryptUpdate}. */
export interface DecryptUpdateParameters {
  /** The envelope produced by {@link encryptUpdate}. */
  readonly envelope: Uint8Array
  /** This node's X25519 key pair. */
  readonly recipient: X25519KeyPair
  /** The task, round and sender the caller expects (from the chain or the gossip announcement). */
  readonly expected: EnvelopeContext
  /** Buffer to write the plaintext into (at least the header's `payloadLength`); the result is a view of it. */
  readonly output?: Uint8Array
}

/**
 * Size of the envelope {@link encryptUpdate} produces, for preallocating `output`.
 *
 * @param taskId the context's task id
 */
export function envelopeSize(params: { payloadBytes: number; recipients: number; taskId: string }): number {
  return envelopeLength(new TextEncoder().encode(params.taskId).length, params.recipients, params.payloadBytes)
}

/**
 * Encrypts an update to k recipients: one random 256-bit content key encrypts the payload with
 * AES-256-GCM; the content key is wrapped for each recipient with X25519 (one ephemeral key per
 * envelope) + HKDF-SHA256 + AES-256-GCM. The task, round and sender are in the authenticated header.
 *
 * @returns the envelope (format in NETWORK.md, "Encrypted update envelope")
 * @throws {@link EncryptionInputError} on an empty, duplicate or malformed recipient list, a bad
 *   context or an oversized payload
 * @example
 * ```ts
 * const envelope = encryptUpdate({ payload: delta, recipients: committeeKeys, context: { taskId, round: 3n, sender } })
 * ```
 */
export function encryptUpdate(params: EncryptUpdateParameters): Uint8Array {
  const payload = asBytes(params.payload)
  if (payload.length > MAX_PAYLOAD_BYTES) throw new EncryptionInputError('payload', `${payload.length} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte limit`)
  const recipients = checkRecipients(params.recipients)
  const context = normalizeContext(params.context)

  const ephemeral = generateKeyPairSync('x25519')
  const ephemeralPublicKey = new Uint8Array(Buffer.from(ephemeral.publicKey.export({ format: 'jwk' }).x ?? '', 'base64url'))
  const contentKey = randomBytes(CONTENT_KEY_BYTES)
  const payloadIv = randomBytes(GCM_IV_BYTES)

  const size = envelopeLength(context.taskIdBytes.length, recipients.length, payload.length)
  if (params.output !== undefined && params.output.length < size) throw new EncryptionInputError('output', `needs ${size} bytes, has ${params.output.length}`)
  const out = params.output === undefined ? new Uint8Array(size) : params.output.subarray(0, size)
  const contextEnd = writeContextHeader(out, context, ephemeralPublicKey, payloadIv, payload.length)
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint16(contextEnd, recipients.length)
  const contextHeader = out.subarray(0, contextEnd)

  let at = contextEnd + 2
  for (const recipientKey of recipients) {
    const kek = wrapKey(ephemeral.privateKey, recipientKey, ephemeralPublicKey, recipientKey)
    const iv = randomBytes(GCM_IV_BYTES)
    const wrapped = sealSmall(kek, iv, wrapAad(contextHeader, recipientKey), contentKey)
    out.set(recipientKey, at)
    out.set(iv, at + X25519_KEY_BYTES)
    out.set(wrapped, at + X25519_KEY_BYTES + GCM_IV_BYTES)
    at += RECIPIENT_ENTRY_BYTES
  }
  sealInto(contentKey, payloadIv, out.subarray(0, at), payload, out, at)
  contentKey.fill(0)
  return out
}

/**
 * Decrypts an envelope addressed to this node and checks it was sealed for the expected task, round
 * and sender.
 *
 * @returns the plaintext update bytes (view them as `new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4)`)
 * @throws {@link EnvelopeContextMismatchError} sealed for another task, round or sender
 * @throws {@link EnvelopeWrongRecipientError} no slot for this node's key
 * @throws {@link EnvelopeTamperedError} ciphertext, header or associated data modified
 * @throws {@link EnvelopeTruncatedError} / {@link EnvelopeMalformedError} / {@link EnvelopeVersionError} from parsing
 */
export function decryptUpdate(params: DecryptUpdateParameters): Uint8Array {
  const { envelope, recipient } = params
  const header = parseEnvelopeHeader(envelope)
  checkContext(header, params.expected)

  const slot = header.recipients.find((r) => sameBytes(r.publicKey, recipient.publicKey))
  if (slot === undefined) throw new EnvelopeWrongRecipientError(Buffer.from(recipient.publicKey).toString('hex'), header.recipients.length)

  const contextHeader = envelope.subarray(0, header.contextHeaderLength)
  let kek: Uint8Array
  try {
    kek = wrapKey(recipient.privateKey, header.ephemeralPublicKey, header.ephemeralPublicKey, recipient.publicKey)
  } catch (cause) {
    throw new EnvelopeTamperedError('wrapped-key', cause)
  }
  const contentKey = openSmall(kek, slot.iv, wrapAad(contextHeader, recipient.publicKey), slot.wrappedKey)
  if (contentKey === undefined) throw new EnvelopeTamperedError('wrapped-key')

  const ciphertextEnd = header.headerLength + header.payloadLength
  if (params.output !== undefined && params.output.length < header.payloadLength) {
    throw new EncryptionInputError('output', `needs ${header.payloadLength} bytes, has ${params.output.length}`)
  }
  const plaintext = openChunked(
    contentKey,
    header.payloadIv,
    envelope.subarray(0, header.headerLength),
    envelope.subarray(header.headerLength, ciphertextEnd),
    envelope.subarray(ciphertextEnd, ciphertextEnd + GCM_TAG_BYTES),
    params.output,
  )
  contentKey.fill(0)
  if (plaintext === undefined) throw new EnvelopeTamperedError('payload')
  return plaintext
}

/**
 * Reads an envelope's header (context, recipients, sizes) without decrypting it.
 *
 * @throws the parse errors listed on {@link decryptUpdate}
 */
export function readEnvelopeHeader(envelope: Uint8Array): EnvelopeHeader {
  return parseEnvelopeHeader(envelope)
}

/**
 * Key-encryption key for one recipient: HKDF-SHA256 over the X25519 secret of (ephemeral,
 * recipient), salted with both public keys so a key is never reused across envelopes or recipients.
 * The sender passes the ephemeral private key and the recipient's public key; the recipient its own
 * private key and the ephemeral public key.
 */
function wrapKey(privateKey: KeyObject, peerPublicKey: Uint8Array, ephemeralPublicKey: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  const shared = x25519SharedSecret(privateKey, x25519PublicKeyFromRaw(peerPublicKey))
  const salt = Buffer.concat([ephemeralPublicKey, recipientPublicKey])
  const kek = new Uint8Array(hkdfSync('sha256', shared, salt, WRAP_HKDF_INFO, CONTENT_KEY_BYTES))
  shared.fill(0)
  return kek
}

/** A key wrap is bound to the envelope's context header and to its recipient. */
function wrapAad(contextHeader: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  return Buffer.concat([contextHeader, recipientPublicKey])
}

function checkRecipients(recipients: readonly Uint8Array[]): Uint8Array[] {
  if (!Array.isArray(recipients) || recipients.length === 0) throw new EncryptionInputError('recipients', 'at least one recipient public key is needed')
  if (recipients.length > MAX_RECIPIENTS) throw new EncryptionInputError('recipients', `${recipients.length} recipients exceeds the limit of ${MAX_RECIPIENTS}`)
  const seen = new Set<string>()
  return recipients.map((key, i) => {
    if (!(key instanceof Uint8Array) || key.length !== X25519_KEY_BYTES) throw new EncryptionInputError(`recipients[${i}]`, `expected a ${X25519_KEY_BYTES}-byte X25519 public key`)
    const hex = Buffer.from(key).toString('hex')
    if (seen.has(hex)) throw new EncryptionInputError(`recipients[${i}]`, 'duplicate recipient key')
    seen.add(hex)
    return key
  })
}

function checkContext(header: EnvelopeHeader, expected: EnvelopeContext): void {
  const actual = header.context
  if (actual.taskId !== expected.taskId) throw new EnvelopeContextMismatchError('taskId', expected.taskId, actual.taskId)
  if (actual.round !== expected.round) throw new EnvelopeContextMismatchError('round', String(expected.round), String(actual.round))
  let expectedSender: string
  try {
    expectedSender = getAddress(expected.sender)
  } catch {
    throw new EncryptionInputError('expected.sender', `${String(expected.sender)} is not a chain address`)
  }
  if (actual.sender !== expectedSender) throw new EnvelopeContextMismatchError('sender', expectedSender, actual.sender)
}

function asBytes(payload: Uint8Array | ArrayBufferView): Uint8Array {
  if (payload instanceof Uint8Array) return payload
  if (ArrayBuffer.isView(payload)) return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)
  throw new EncryptionInputError('payload', 'expected a Uint8Array or another typed array')
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}
