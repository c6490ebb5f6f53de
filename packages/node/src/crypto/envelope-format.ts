import { getAddress } from 'ethers'
import {
  ADDRESS_BYTES,
  ENVELOPE_MAGIC,
  ENVELOPE_SUITE_X25519_AES256GCM,
  ENVELOPE_VERSION,
  GCM_IV_BYTES,
  GCM_TAG_BYTES,
  MAX_PAYLOAD_BYTES,
  MAX_RECIPIENTS,
  MAX_TASK_ID_BYTES,
  RECIPIENT_ENTRY_BYTES,
  X25519_KEY_BYTES,
  CONTENT_KEY_BYTES,
} from './constants.js'
import { EncryptionInputError, EnvelopeMalformedError, EnvelopeTruncatedError, EnvelopeVersionError } from './errors.js'

/**
 * What an envelope is bound to. All three go into the authenticated header, so an update cannot be
 * replayed into another task or round, or passed off as another hospital's.
 */
export interface EnvelopeContext {
  /** Task id as used on chain and in gossip topics. */
  readonly taskId: string
  /** Round number. */
  readonly round: bigint
  /** Chain address (0x…) of the hospital that produced the update. */
  readonly sender: string
}

/** One recipient's slot: who it is for and the content key sealed to them. */
export interface EnvelopeRecipientSlot {
  /** Recipient's raw X25519 public key, 32 bytes. */
  readonly publicKey: Uint8Array
  /** AES-GCM nonce used to wrap the content key, 12 bytes. */
  readonly iv: Uint8Array
  /** Wrapped content key followed by its tag, 48 bytes. */
  readonly wrappedKey: Uint8Array
}

/** A parsed envelope header (views into the envelope bytes, nothing decrypted). */
export interface EnvelopeHeader {
  readonly version: number
  readonly suite: number
  /** Context as stored; `sender` is checksummed. */
  readonly context: EnvelopeContext
  /** The sender's one-time X25519 public key. */
  readonly ephemeralPublicKey: Uint8Array
  /** AES-GCM nonce of the payload. */
  readonly payloadIv: Uint8Array
  /** Plaintext length in bytes. */
  readonly payloadLength: number
  readonly recipients: readonly EnvelopeRecipientSlot[]
  /** Length of the context part (magic … payload length), the associated data of each key wrap. */
  readonly contextHeaderLength: number
  /** Length of the whole header (context part + recipient table), the payload's associated data. */
  readonly headerLength: number
}

/** The context validated and in the binary form the header stores. */
export interface NormalizedContext {
  readonly taskIdBytes: Uint8Array
  readonly round: bigint
  readonly senderBytes: Uint8Array
}

const U64_MAX = (1n << 64n) - 1n
/** magic 4 + version 1 + suite 1 + reserved 2 + task id length 2. */
const PREAMBLE_BYTES = 10
/** round 8 + sender 20 + ephemeral key 32 + payload iv 12 + payload length 8. */
const CONTEXT_TAIL_BYTES = 8 + ADDRESS_BYTES + X25519_KEY_BYTES + GCM_IV_BYTES + 8

/**
 * Validates a context for sealing.
 *
 * @throws {@link EncryptionInputError} naming the bad field
 */
export function normalizeContext(context: EnvelopeContext): NormalizedContext {
  const taskIdBytes = new TextEncoder().encode(context.taskId)
  if (typeof context.taskId !== 'string' || taskIdBytes.length === 0 || taskIdBytes.length > MAX_TASK_ID_BYTES) {
    throw new EncryptionInputError('context.taskId', `must be 1–${MAX_TASK_ID_BYTES} UTF-8 bytes`)
  }
  if (typeof context.round !== 'bigint' || context.round < 0n || context.round > U64_MAX) {
    throw new EncryptionInputError('context.round', 'must be a bigint in [0, 2^64)')
  }
  let sender: string
  try {
    sender = getAddress(context.sender)
  } catch (cause) {
    throw new EncryptionInputError('context.sender', `${String(context.sender)} is not a chain address (0x + 40 hex digits): ${String(cause)}`)
  }
  return { taskIdBytes, round: context.round, senderBytes: Buffer.from(sender.slice(2), 'hex') }
}

/** Bytes of the context part of a header for a task id of `taskIdBytes` bytes. */
export function contextHeaderLength(taskIdBytes: number): number {
  return PREAMBLE_BYTES + taskIdBytes + CONTEXT_TAIL_BYTES
}

/** Total envelope size for the given shape. */
export function envelopeLength(taskIdBytes: number, recipients: number, payloadLength: number): number {
  return contextHeaderLength(taskIdBytes) + 2 + recipients * RECIPIENT_ENTRY_BYTES + payloadLength + GCM_TAG_BYTES
}

/**
 * Writes the context part of the header at the start of `out`.
 *
 * @returns the number of bytes written
 */
export function writeContextHeader(out: Uint8Array, context: NormalizedContext, ephemeralPublicKey: Uint8Array, payloadIv: Uint8Array, payloadLength: number): number {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength)
  out.set(ENVELOPE_MAGIC, 0)
  view.setUint8(4, ENVELOPE_VERSION)
  view.setUint8(5, ENVELOPE_SUITE_X25519_AES256GCM)
  view.setUint16(6, 0)
  view.setUint16(8, context.taskIdBytes.length)
  let at = PREAMBLE_BYTES
  out.set(context.taskIdBytes, at)
  at += context.taskIdBytes.length
  view.setBigUint64(at, context.round)
  at += 8
  out.set(context.senderBytes, at)
  at += ADDRESS_BYTES
  out.set(ephemeralPublicKey, at)
  at += X25519_KEY_BYTES
  out.set(payloadIv, at)
  at += GCM_IV_BYTES
  view.setBigUint64(at, BigInt(payloadLength))
  return at + 8
}

/**
 * Parses and bounds-checks an envelope header without decrypting anything.
 *
 * @throws {@link EnvelopeMalformedError} not an envelope, or a field out of range
 * @throws {@link EnvelopeVersionError} a version or suite this node does not read
 * @throws {@link EnvelopeTruncatedError} fewer bytes than the header announces
 */
export function parseEnvelopeHeader(envelope: Uint8Array): EnvelopeHeader {
  const magicLength = Math.min(envelope.length, ENVELOPE_MAGIC.length)
  for (let i = 0; i < magicLength; i++) {
    if (envelope[i] !== ENVELOPE_MAGIC[i]) throw new EnvelopeMalformedError('it does not start with the "FCHE" magic bytes')
  }
  if (envelope.length < PREAMBLE_BYTES) throw new EnvelopeTruncatedError(PREAMBLE_BYTES, envelope.length)
  const view = new DataView(envelope.buffer, envelope.byteOffset, envelope.byteLength)
  const version = view.getUint8(4)
  const suite = view.getUint8(5)
  if (version !== ENVELOPE_VERSION || suite !== ENVELOPE_SUITE_X25519_AES256GCM) throw new EnvelopeVersionError(version, suite)
  if (view.getUint16(6) !== 0) throw new EnvelopeMalformedError('reserved header bytes are not zero')
  const taskIdLength = view.getUint16(8)
  if (taskIdLength === 0 || taskIdLength > MAX_TASK_ID_BYTES) throw new EnvelopeMalformedError(`task id length ${taskIdLength} is outside 1–${MAX_TASK_ID_BYTES}`)
  const contextLength = contextHeaderLength(taskIdLength)
  if (envelope.length < contextLength + 2) throw new EnvelopeTruncatedError(contextLength + 2, envelope.length)

  let at = PREAMBLE_BYTES
  let taskId: string
  try {
    taskId = new TextDecoder('utf-8', { fatal: true }).decode(envelope.subarray(at, at + taskIdLength))
  } catch {
    throw new EnvelopeMalformedError('task id is not valid UTF-8')
  }
  at += taskIdLength
  const round = view.getBigUint64(at)
  at += 8
  const sender = getAddress(`0x${Buffer.from(envelope.subarray(at, at + ADDRESS_BYTES)).toString('hex')}`)
  at += ADDRESS_BYTES
  const ephemeralPublicKey = envelope.subarray(at, at + X25519_KEY_BYTES)
  at += X25519_KEY_BYTES
  const payloadIv = envelope.subarray(at, at + GCM_IV_BYTES)
  at += GCM_IV_BYTES
  const declaredLength = view.getBigUint64(at)
  at += 8
  if (declaredLength > BigInt(MAX_PAYLOAD_BYTES)) throw new EnvelopeMalformedError(`payload length ${declaredLength} exceeds the ${MAX_PAYLOAD_BYTES}-byte limit`)
  const payloadLength = Number(declaredLength)
  const recipientCount = view.getUint16(at)
  at += 2
  if (recipientCount === 0 || recipientCount > MAX_RECIPIENTS) throw new EnvelopeMalformedError(`recipient count ${recipientCount} is outside 1–${MAX_RECIPIENTS}`)

  const headerLength = at + recipientCount * RECIPIENT_ENTRY_BYTES
  const total = headerLength + payloadLength + GCM_TAG_BYTES
  if (envelope.length < total) throw new EnvelopeTruncatedError(total, envelope.length)
  if (envelope.length > total) throw new EnvelopeMalformedError(`${envelope.length - total} bytes after the payload tag`)

  const recipients: EnvelopeRecipientSlot[] = []
  for (let i = 0; i < recipientCount; i++) {
    const publicKey = envelope.subarray(at, at + X25519_KEY_BYTES)
    at += X25519_KEY_BYTES
    const iv = envelope.subarray(at, at + GCM_IV_BYTES)
    at += GCM_IV_BYTES
    const wrappedKey = envelope.subarray(at, at + CONTENT_KEY_BYTES + GCM_TAG_BYTES)
    at += CONTENT_KEY_BYTES + GCM_TAG_BYTES
    recipients.push({ publicKey, iv, wrappedKey })
  }
  return {
    version,
    suite,
    context: { taskId, round, sender },
    ephemeralPublicKey,
    payloadIv,
    payloadLength,
    recipients,
    contextHeaderLength: contextLength,
    headerLength,
  }
}
