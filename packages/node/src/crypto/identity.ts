import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { Wallet } from 'ethers'
import { DEFAULT_PASSWORD_ENV, DEFAULT_SCRYPT_N, KEY_FILES, KEYS_DIR } from './constants.js'
import { IdentityExistsError, IdentityMissingError, KeyFileInvalidError, KeyPasswordMissingError } from './errors.js'
import { fileExists, readKeyFile, writeKeyFile } from './key-file-io.js'
import { decryptWalletKeystore, encryptWalletKeystore } from './keystore.js'
import { openSealedKey, sealKey } from './sealed-key.js'
import { exportX25519PrivateKey, generateX25519KeyPair, x25519KeyPairFromPrivateKey, type X25519KeyPair } from './x25519.js'

/** A node's three keys, loaded and decrypted. */
export interface NodeIdentity {
  /** secp256k1 wallet that signs chain transactions and gossip envelopes. */
  readonly wallet: Wallet
  /** Checksummed chain address of {@link NodeIdentity.wallet}. */
  readonly address: string
  /** Ed25519 key of the libp2p host (pass to `createP2PHost`). */
  readonly libp2pKey: PrivateKey
  /** Peer id derived from {@link NodeIdentity.libp2pKey}, registered on chain. */
  readonly peerId: PeerId
  /** X25519 key pair for update encryption; its public key is registered on chain. */
  readonly encryption: X25519KeyPair
}

/** Parameters of {@link createNodeIdentity} and {@link loadNodeIdentity}. */
export interface NodeIdentityParameters {
  /** The node's data dir; keys live in `<dataDir>/keys/`. */
  readonly dataDir: string
  /** The password itself (e.g. read from a prompt); takes precedence over `passwordEnv`. */
  readonly password?: string
  /**
   * Name of the environment variable holding the password.
   * @default 'FEDCHAIN_KEY_PASSWORD'
   */
  readonly passwordEnv?: string
  /** Environment to read `passwordEnv` from. @default process.env */
  readonly env?: NodeJS.ProcessEnv
  /**
   * scrypt cost N for new key files (a power of two). Lower only for tests and simulations.
   * @default 131072 (2^17)
   */
  readonly scryptN?: number
}

/** Paths of the key files under a data dir. */
export function identityFiles(dataDir: string): { dir: string; wallet: string; libp2p: string; encryption: string } {
  const dir = join(dataDir, KEYS_DIR)
  return { dir, wallet: join(dir, KEY_FILES.wallet), libp2p: join(dir, KEY_FILES.libp2p), encryption: join(dir, KEY_FILES.encryption) }
}

/**
 * Creates a new identity (wallet, libp2p Ed25519 key, X25519 key) and writes the three key files
 * with mode 0600: the wallet as an ethers encrypted JSON keystore, the other two sealed with
 * scrypt + AES-256-GCM under the same password.
 *
 * @throws {@link KeyPasswordMissingError} no password given and the env var is empty
 * @throws {@link IdentityExistsError} a key file already exists (keys are never overwritten)
 * @example
 * ```ts
 * const id = await createNodeIdentity({ dataDir, passwordEnv: 'FEDCHAIN_KEY_PASSWORD' })
 * id.address // '0x…'
 * ```
 */
export async function createNodeIdentity(params: NodeIdentityParameters): Promise<NodeIdentity> {
  const password = resolveKeyPassword(params)
  const files = identityFiles(params.dataDir)
  for (const path of [files.wallet, files.libp2p, files.encryption]) {
    if (await fileExists(path)) throw new IdentityExistsError(files.dir)
  }
  const scryptN = params.scryptN ?? DEFAULT_SCRYPT_N
  const wallet = new Wallet(Wallet.createRandom().privateKey)
  const libp2pKey = await generateKeyPair('Ed25519')
  const encryption = generateX25519KeyPair()

  const keystore = await encryptWalletKeystore(wallet.address, wallet.privateKey, password, scryptN)
  const libp2pFile = await sealKey('libp2p-ed25519', privateKeyToProtobuf(libp2pKey), libp2pKey.publicKey.raw, password, scryptN)
  const encryptionFile = await sealKey('x25519', exportX25519PrivateKey(encryption), encryption.publicKey, password, scryptN)

  const written: string[] = []
  try {
    for (const [path, contents] of [
      [files.wallet, keystore],
      [files.libp2p, JSON.stringify(libp2pFile, null, 2)],
      [files.encryption, JSON.stringify(encryptionFile, null, 2)],
    ] as const) {
      await writeKeyFile(path, contents)
      written.push(path)
    }
  } catch (err) {
    // Never leave a partial identity behind: it could be neither loaded nor re-created.
    await Promise.all(written.map((path) => rm(path, { force: true })))
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new IdentityExistsError(files.dir)
    throw err
  }
  return { wallet, address: wallet.address, libp2pKey, peerId: peerIdFromPrivateKey(libp2pKey), encryption }
}

/**
 * Loads and decrypts the identity in a data dir, checking each key file is mode 0600 (or stricter).
 *
 * @throws {@link IdentityMissingError} no key files
 * @throws {@link KeyFileInsecureError} a key file readable by group or others
 * @throws {@link KeyPasswordMissingError} / {@link KeyPasswordInvalidError} password problems
 * @throws {@link KeyFileInvalidError} a file that is not a key of the expected kind
 */
export async function loadNodeIdentity(params: NodeIdentityParameters): Promise<NodeIdentity> {
  const files = identityFiles(params.dataDir)
  const missing: string[] = []
  for (const path of [files.wallet, files.libp2p, files.encryption]) if (!(await fileExists(path))) missing.push(path)
  if (missing.length > 0) throw new IdentityMissingError(files.dir, missing)
  const password = resolveKeyPassword(params)

  const wallet = new Wallet(await decryptWalletKeystore(files.wallet, await readKeyFile(files.wallet), password))

  const libp2pSealed = await openSealedKey(files.libp2p, await readKeyFile(files.libp2p), 'libp2p-ed25519', password)
  let libp2pKey: PrivateKey
  try {
    libp2pKey = privateKeyFromProtobuf(libp2pSealed.secret)
  } catch (cause) {
    throw new KeyFileInvalidError(files.libp2p, 'the sealed bytes are not a libp2p private key', cause)
  }
  if (libp2pKey.type !== 'Ed25519') throw new KeyFileInvalidError(files.libp2p, `expected an Ed25519 key, found ${libp2pKey.type}`)

  const encryptionSealed = await openSealedKey(files.encryption, await readKeyFile(files.encryption), 'x25519', password)
  const encryption = x25519KeyPairFromPrivateKey(encryptionSealed.secret)
  encryptionSealed.secret.fill(0)

  return { wallet, address: wallet.address, libp2pKey, peerId: peerIdFromPrivateKey(libp2pKey), encryption }
}

/**
 * A fresh identity held in memory only (no key files): for in-process simulations, tests and
 * benchmarks, where dozens of nodes start per run and nothing must outlive the process.
 */
export async function createEphemeralIdentity(): Promise<NodeIdentity> {
  const wallet = new Wallet(Wallet.createRandom().privateKey)
  const libp2pKey = await generateKeyPair('Ed25519')
  return { wallet, address: wallet.address, libp2pKey, peerId: peerIdFromPrivateKey(libp2pKey), encryption: generateX25519KeyPair() }
}

/**
 * Loads the identity when its key files exist, creates it otherwise.
 *
 * @returns the identity and whether it was just created
 */
export async function loadOrCreateNodeIdentity(params: NodeIdentityParameters): Promise<{ identity: NodeIdentity; created: boolean }> {
  const files = identityFiles(params.dataDir)
  const present = await Promise.all([files.wallet, files.libp2p, files.encryption].map(fileExists))
  if (present.every((p) => !p)) return { identity: await createNodeIdentity(params), created: true }
  return { identity: await loadNodeIdentity(params), created: false }
}

/**
 * The key password {@link createNodeIdentity} and {@link loadNodeIdentity} would use: `password`,
 * else the value of `passwordEnv`. Callers check it before they create anything (`node init`).
 * @throws {@link KeyPasswordMissingError} no password given and the env var is unset or empty
 */
export function resolveKeyPassword(params: Pick<NodeIdentityParameters, 'password' | 'passwordEnv' | 'env'>): string {
  if (params.password !== undefined && params.password.length > 0) return params.password
  const envVar = params.passwordEnv ?? DEFAULT_PASSWORD_ENV
  const value = (params.env ?? process.env)[envVar]
  if (value === undefined || value.length === 0) throw new KeyPasswordMissingError(envVar)
  return value
}
