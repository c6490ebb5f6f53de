import { randomBytes } from 'node:crypto'
import { Wallet } from 'ethers'
import { describe, expect, it } from 'vitest'
import {
  decryptUpdate,
  encryptUpdate,
  envelopeSize,
  EncryptionInputError,
  EnvelopeContextMismatchError,
  EnvelopeMalformedError,
  EnvelopeTamperedError,
  EnvelopeTruncatedError,
  EnvelopeVersionError,
  EnvelopeWrongRecipientError,
  generateX25519KeyPair,
  readEnvelopeHeader,
  x25519KeyPairFromPrivateKey,
  exportX25519PrivateKey,
  type EnvelopeContext,
} from '../../src/crypto/index.js'

const sender = new Wallet('0x' + '11'.repeat(32)).address
const context: EnvelopeContext = { taskId: 'breast-cancer', round: 7n, sender }
const committee = [generateX25519KeyPair(), generateX25519KeyPair(), generateX25519KeyPair()]
const recipients = committee.map((k) => k.publicKey)

function update(length: number): Float32Array {
  const v = new Float32Array(length)
  for (let i = 0; i < length; i++) v[i] = Math.sin(i) * 0.01
  return v
}

function sealed(payload: Uint8Array | Float32Array = update(1000)): Uint8Array {
  return encryptUpdate({ payload, recipients, context })
}

describe('encryptUpdate / decryptUpdate', () => {
  it('round-trips a Float32Array update for every committee member', () => {
    const delta = update(10_000)
    const envelope = sealed(delta)
    for (const member of committee) {
      const bytes = decryptUpdate({ envelope, recipient: member, expected: context })
      expect(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)).toEqual(delta)
    }
  })

  it('encrypts only the bytes of a typed-array view, not its whole buffer', () => {
    const whole = update(100)
    const view = whole.subarray(10, 50)
    const bytes = decryptUpdate({ envelope: sealed(view), recipient: committee[0]!, expected: context })
    expect(bytes.length).toBe(160)
    expect(new Float32Array(bytes.buffer, bytes.byteOffset, 40)).toEqual(view)
  })

  it('round-trips payloads across the 1 MiB chunk boundary and the empty payload', () => {
    for (const length of [0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 17]) {
      const payload = randomBytes(length)
      const envelope = encryptUpdate({ payload, recipients: [recipients[0]!], context })
      expect(Buffer.from(decryptUpdate({ envelope, recipient: committee[0]!, expected: context })).equals(payload)).toBe(true)
    }
  })

  it('uses a fresh content key and nonce for every envelope', () => {
    const payload = new Uint8Array(64)
    expect(Buffer.from(encryptUpdate({ payload, recipients, context })).equals(encryptUpdate({ payload, recipients, context }))).toBe(false)
  })

  it('exposes the bound context in the header', () => {
    const header = readEnvelopeHeader(sealed())
    expect(header.context).toEqual({ taskId: 'breast-cancer', round: 7n, sender })
    expect(header.recipients.map((r) => Buffer.from(r.publicKey).toString('hex'))).toEqual(recipients.map((r) => Buffer.from(r).toString('hex')))
    expect(header.payloadLength).toBe(4000)
  })

  it('refuses a node that is not a recipient', () => {
    const envelope = sealed()
    const outsider = generateX25519KeyPair()
    expect(() => decryptUpdate({ envelope, recipient: outsider, expected: context })).toThrow(EnvelopeWrongRecipientError)
  })

  it('refuses a recipient slot whose public key was swapped for the outsider (wrap is bound to the key)', () => {
    const envelope = sealed()
    const outsider = generateX25519KeyPair()
    const header = readEnvelopeHeader(envelope)
    const forged = envelope.slice()
    forged.set(outsider.publicKey, header.contextHeaderLength + 2)
    expect(() => decryptUpdate({ envelope: forged, recipient: outsider, expected: context })).toThrow(EnvelopeTamperedError)
  })

  it('detects a flipped bit anywhere in the ciphertext or the tag', () => {
    const envelope = sealed()
    const { headerLength } = readEnvelopeHeader(envelope)
    for (const at of [headerLength, headerLength + 1999, envelope.length - 17, envelope.length - 1]) {
      const tampered = envelope.slice()
      tampered[at]! ^= 0x01
      const err = catchError(() => decryptUpdate({ envelope: tampered, recipient: committee[1]!, expected: context }))
      expect(err).toBeInstanceOf(EnvelopeTamperedError)
      expect((err as EnvelopeTamperedError).part).toBe('payload')
    }
  })

  it('detects a tampered header: round, sender, task id, IV, wrapped key, another slot', () => {
    const envelope = sealed()
    const header = readEnvelopeHeader(envelope)
    const taskLen = new TextEncoder().encode(context.taskId).length
    const roundAt = 10 + taskLen
    // Change round and sender in the stored header while the caller expects the stored values:
    // the check must come from authentication, not from the context comparison.
    const roundTampered = envelope.slice()
    roundTampered[roundAt + 7]! ^= 0x01
    expect(() => decryptUpdate({ envelope: roundTampered, recipient: committee[0]!, expected: { ...context, round: 6n } })).toThrow(EnvelopeTamperedError)
    const ivTampered = envelope.slice()
    ivTampered[header.contextHeaderLength - 9]! ^= 0x80
    expect(() => decryptUpdate({ envelope: ivTampered, recipient: committee[0]!, expected: context })).toThrow(EnvelopeTamperedError)
    const wrapTampered = envelope.slice()
    wrapTampered[header.contextHeaderLength + 2 + 32 + 12 + 3]! ^= 0x01
    expect(() => decryptUpdate({ envelope: wrapTampered, recipient: committee[0]!, expected: context })).toThrow(EnvelopeTamperedError)
    // Tampering with member 2's slot leaves member 0's key intact but breaks the payload AD.
    const otherSlot = envelope.slice()
    otherSlot[header.contextHeaderLength + 2 + 2 * 92 + 50]! ^= 0x01
    expect(() => decryptUpdate({ envelope: otherSlot, recipient: committee[0]!, expected: context })).toThrow(EnvelopeTamperedError)
  })

  it('refuses an envelope opened for another task, round or sender (associated data)', () => {
    const envelope = sealed()
    const other = new Wallet('0x' + '22'.repeat(32)).address
    for (const [expected, field] of [
      [{ ...context, round: 8n }, 'round'],
      [{ ...context, taskId: 'digits' }, 'taskId'],
      [{ ...context, sender: other }, 'sender'],
    ] as const) {
      const err = catchError(() => decryptUpdate({ envelope, recipient: committee[0]!, expected }))
      expect(err).toBeInstanceOf(EnvelopeContextMismatchError)
      expect((err as EnvelopeContextMismatchError).field).toBe(field)
    }
    // A lowercase address is the same sender.
    expect(() => decryptUpdate({ envelope, recipient: committee[0]!, expected: { ...context, sender: sender.toLowerCase() } })).not.toThrow()
  })

  it('reports truncation at every cut point with the expected length', () => {
    const envelope = sealed(update(10))
    for (let cut = 0; cut < envelope.length; cut += 7) {
      const err = catchError(() => decryptUpdate({ envelope: envelope.subarray(0, cut), recipient: committee[0]!, expected: context }))
      expect(err).toBeInstanceOf(EnvelopeTruncatedError)
    }
    const err = catchError(() => readEnvelopeHeader(envelope.subarray(0, envelope.length - 1))) as EnvelopeTruncatedError
    expect(err.details).toEqual({ expectedBytes: envelope.length, actualBytes: envelope.length - 1 })
  })

  it('rejects unknown versions, foreign bytes and trailing bytes with distinct errors', () => {
    const envelope = sealed()
    const v2 = envelope.slice()
    v2[4] = 2
    expect(() => readEnvelopeHeader(v2)).toThrow(EnvelopeVersionError)
    expect(() => readEnvelopeHeader(new TextEncoder().encode('{"json": true}'))).toThrow(EnvelopeMalformedError)
    const longer = new Uint8Array(envelope.length + 1)
    longer.set(envelope)
    expect(() => readEnvelopeHeader(longer)).toThrow(EnvelopeMalformedError)
    const zeroRecipients = envelope.slice()
    const { contextHeaderLength } = readEnvelopeHeader(envelope)
    zeroRecipients[contextHeaderLength] = 0
    zeroRecipients[contextHeaderLength + 1] = 0
    expect(() => readEnvelopeHeader(zeroRecipients)).toThrow(EnvelopeMalformedError)
  })

  it('validates its inputs', () => {
    const payload = new Uint8Array(4)
    expect(() => encryptUpdate({ payload, recipients: [], context })).toThrow(EncryptionInputError)
    expect(() => encryptUpdate({ payload, recipients: [recipients[0]!, recipients[0]!], context })).toThrow(/duplicate/)
    expect(() => encryptUpdate({ payload, recipients: [new Uint8Array(31)], context })).toThrow(/32-byte/)
    expect(() => encryptUpdate({ payload, recipients, context: { ...context, sender: '0x1234' } })).toThrow(EncryptionInputError)
    expect(() => encryptUpdate({ payload, recipients, context: { ...context, taskId: '' } })).toThrow(EncryptionInputError)
    expect(() => encryptUpdate({ payload, recipients, context: { ...context, round: -1n } })).toThrow(EncryptionInputError)
    expect(() => encryptUpdate({ payload, recipients: [new Uint8Array(32)], context })).toThrow(/low-order/)
  })

  it('writes into caller-provided buffers of the advertised size', () => {
    const payload = randomBytes(5000)
    const size = envelopeSize({ payloadBytes: payload.length, recipients: recipients.length, taskId: context.taskId })
    const output = new Uint8Array(size + 10)
    const envelope = encryptUpdate({ payload, recipients, context, output })
    expect(envelope.length).toBe(size)
    expect(envelope.buffer).toBe(output.buffer)
    const plain = new Uint8Array(6000)
    const opened = decryptUpdate({ envelope, recipient: committee[2]!, expected: context, output: plain })
    expect(opened.buffer).toBe(plain.buffer)
    expect(Buffer.from(opened).equals(payload)).toBe(true)
    expect(() => encryptUpdate({ payload, recipients, context, output: new Uint8Array(size - 1) })).toThrow(EncryptionInputError)
    expect(() => decryptUpdate({ envelope, recipient: committee[2]!, expected: context, output: new Uint8Array(10) })).toThrow(EncryptionInputError)
  })

  it('restores an X25519 key pair from its exported private key', () => {
    const pair = generateX25519KeyPair()
    const again = x25519KeyPairFromPrivateKey(exportX25519PrivateKey(pair))
    expect(Buffer.from(again.publicKey).equals(pair.publicKey)).toBe(true)
    const envelope = encryptUpdate({ payload: new Uint8Array([1, 2, 3]), recipients: [pair.publicKey], context })
    expect([...decryptUpdate({ envelope, recipient: again, expected: context })]).toEqual([1, 2, 3])
  })
})

function catchError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected an error')
}
