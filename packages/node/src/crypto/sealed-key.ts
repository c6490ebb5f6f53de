import { randomBytes, scrypt as scryptCallback, type ScryptOptions } from 'node:crypto'
import { openSmall, sealSmall } from './aes-gcm-stream.js'
import { CONTENT_KEY_BYTES, GCM_IV_BYTES } from './constants.js'
import { KeyFileInvalidError, KeyPasswordInvalidError } from './errors.js'

/** What a sealed key file holds. */
export type SealedKeyKind = 'libp2p-ed25519' | 'x25519'

/** JSON layout of a sealed key file (libp2p and encryption keys; the wallet uses the ethers keystore). */
export interface SealedKeyFile {
  readonly fedchainKeyFile: 1
  readonly kind: SealedKeyKind
  /** Hex public key, so tools can show the identity without the password. */
  readonly publicKey: string
  readonly kdf: { readonly name: 'scrypt'; readonly N: number; readonly r: number; readonly p: number; readonly salt: string }
  readonly cipher: 'aes-256-gcm'
  readonly iv: string
  /** Hex ciphertext followed by the 16-byte tag. */
  readonly ciphertext: string
}

const SCRYPT_R = 8
const SCRYPT_P = 1

/**
 * Seals a private key with scrypt(password) + AES-256-GCM; the kind and public key are
 * authenticated so a file cannot be relabelled.
 */
export async function sealKey(kind: SealedKeyKind, secret: Uint8Array, publicKey: Uint8Array, password: string, scryptN: number): Promise<SealedKeyFile> {
  const salt = randomBytes(32)
  const iv = randomBytes(GCM_IV_BYTES)
  const publicHex = Buffer.from(publicKey).toString('hex')
  const key = await deriveKey(password, salt, scryptN)
  const sealed = sealSmall(key, iv, aad(kind, publicHex), secret)
  key.fill(0)
  return {
    fedchainKeyFile: 1,
    kind,
    publicKey: publicHex,
    kdf: { name: 'scrypt', N: scryptN, r: SCRYPT_R, p: SCRYPT_P, salt: salt.toString('hex') },
    cipher: 'aes-256-gcm',
    iv: iv.toString('hex'),
    ciphertext: Buffer.from(sealed).toString('hex'),
  }
}

/**
 * Opens a sealed key file.
 *
 * @throws {@link KeyFileInvalidError} not a sealed key of `kind`
 * @throws {@link KeyPasswordInvalidError} authentication failed (wrong password or edited file)
 */
export async function openSealedKey(path: string, json: string, kind: SealedKeyKind, password: string): Promise<{ secret: Uint8Array; publicKey: Uint8Array }> {
  let file: SealedKeyFile
  try {
    file = JSON.parse(json) as SealedKeyFile
  } catch (cause) {
    throw new KeyFileInvalidError(path, 'not JSON', cause)
  }
  if (file === null || typeof file !== 'object' || file.fedchainKeyFile !== 1 || file.kind !== kind || file.cipher !== 'aes-256-gcm' || file.kdf?.name !== 'scrypt') {
    throw new KeyFileInvalidError(path, `not a version-1 sealed ${kind} key`)
  }
  const { N, r, p, salt } = file.kdf
  if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0 || r !== SCRYPT_R || p !== SCRYPT_P || !isHex(salt) || !isHex(file.iv) || !isHex(file.ciphertext) || !isHex(file.publicKey)) {
    throw new KeyFileInvalidError(path, 'scrypt parameters or hex fields are invalid')
  }
  const key = await deriveKey(password, Buffer.from(salt, 'hex'), N)
  const secret = openSmall(key, Buffer.from(file.iv, 'hex'), aad(kind, file.publicKey), Buffer.from(file.ciphertext, 'hex'))
  key.fill(0)
  if (secret === undefined) throw new KeyPasswordInvalidError(path)
  return { secret, publicKey: new Uint8Array(Buffer.from(file.publicKey, 'hex')) }
}

function deriveKey(password: string, salt: Uint8Array, N: number): Promise<Buffer> {
  // maxmem must cover 128·N·r bytes; Node's default (32 MiB) is below what N = 2^17 needs.
  const options: ScryptOptions = { N, r: SCRYPT_R, p: SCRYPT_P, maxmem: 256 * N * SCRYPT_R + (1 << 20) }
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, CONTENT_KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)))
  })
}

function aad(kind: SealedKeyKind, publicHex: string): Uint8Array {
  return new TextEncoder().encode(`fedchain/keyfile/v1/${kind}/${publicHex}`)
}

function isHex(value: unknown): value is string {
  return typeof value === 'string' && value.length % 2 === 0 && /^[0-9a-f]*$/i.test(value)
}
