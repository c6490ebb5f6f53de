import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { X25519_KEY_BYTES } from './constants.js'
import { EncryptionInputError } from './errors.js'

const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex')

/** An X25519 key pair: the raw 32-byte public key (as registered on chain) and the private key. */
export interface X25519KeyPair {
  /** Raw public key, 32 bytes. */
  readonly publicKey: Uint8Array
  /** Private key; export it only through {@link exportX25519PrivateKey}. */
  readonly privateKey: KeyObject
}

/**
 * Generates a fresh X25519 key pair with Node's crypto.
 *
 * @returns the pair, public key as 32 raw bytes
 */
export function generateX25519KeyPair(): X25519KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519')
  return { privateKey, publicKey: rawPublicKey(publicKey) }
}

/**
 * Rebuilds a key pair from the raw 32-byte private scalar.
 *
 * @throws {@link EncryptionInputError} when the key is not 32 bytes
 */
export function x25519KeyPairFromPrivateKey(raw: Uint8Array): X25519KeyPair {
  if (raw.length !== X25519_KEY_BYTES) throw new EncryptionInputError('X25519 private key', `expected ${X25519_KEY_BYTES} bytes, got ${raw.length}`)
  // PKCS#8 wrapping of a raw X25519 scalar: fixed 16-byte prefix (RFC 8410) then the 32 bytes.
  const pkcs8 = Buffer.concat([PKCS8_X25519_PREFIX, raw])
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
  return { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) }
}

/** The raw 32-byte private scalar, for sealing into a key file. */
export function exportX25519PrivateKey(pair: X25519KeyPair): Uint8Array {
  const jwk = pair.privateKey.export({ format: 'jwk' })
  if (typeof jwk.d !== 'string') throw new EncryptionInputError('X25519 private key', 'the key object holds no private part')
  return new Uint8Array(Buffer.from(jwk.d, 'base64url'))
}

/**
 * Imports a raw 32-byte X25519 public key.
 *
 * @throws {@link EncryptionInputError} when the key is not 32 bytes
 */
export function x25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== X25519_KEY_BYTES) throw new EncryptionInputError('X25519 public key', `expected ${X25519_KEY_BYTES} bytes, got ${raw.length}`)
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: b64url(raw) }, format: 'jwk' })
}

/**
 * X25519 agreement. Rejects an all-zero shared secret, which a low-order public key produces
 * and which would make the wrapped key readable by anyone.
 */
export function x25519SharedSecret(privateKey: KeyObject, publicKey: KeyObject): Buffer {
  let secret: Buffer
  try {
    secret = diffieHellman({ privateKey, publicKey })
  } catch (cause) {
    // OpenSSL refuses low-order points itself ("failed during derivation").
    throw new EncryptionInputError('X25519 public key', `it is a low-order point or invalid (${String(cause)})`)
  }
  if (secret.every((b) => b === 0)) throw new EncryptionInputError('X25519 public key', 'it is a low-order point (all-zero shared secret)')
  return secret
}

function rawPublicKey(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' })
  if (typeof jwk.x !== 'string') throw new EncryptionInputError('X25519 public key', 'the key object holds no public part')
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'))
}

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
}
