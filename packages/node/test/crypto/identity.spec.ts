import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  createEphemeralIdentity,
  createNodeIdentity,
  identityFiles,
  IdentityExistsError,
  IdentityMissingError,
  KeyFileInsecureError,
  KeyFileInvalidError,
  KeyPasswordInvalidError,
  KeyPasswordMissingError,
  loadNodeIdentity,
  loadOrCreateNodeIdentity,
} from '../../src/crypto/index.js'

// Low scrypt cost keeps the suite fast; production uses the 2^17 default.
const scryptN = 1 << 10
const env = { FEDCHAIN_KEY_PASSWORD: 'correct horse battery staple' }

async function dataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'fedchain-identity-'))
}

describe('node identity files', () => {
  it('creates three 0600 key files and loads the same identity back', async () => {
    const dir = await dataDir()
    const created = await createNodeIdentity({ dataDir: dir, env, scryptN })
    const files = identityFiles(dir)
    for (const path of [files.wallet, files.libp2p, files.encryption]) {
      expect((await stat(path)).mode & 0o777).toBe(0o600)
    }
    expect((await stat(files.dir)).mode & 0o077).toBe(0)
    const keystore = JSON.parse(await readFile(files.wallet, 'utf8')) as { address: string; Crypto: { kdfparams: { n: number } } }
    expect(`0x${keystore.address}`.toLowerCase()).toBe(created.address.toLowerCase())
    expect(keystore.Crypto.kdfparams.n).toBe(scryptN)

    const loaded = await loadNodeIdentity({ dataDir: dir, env })
    expect(loaded.address).toBe(created.address)
    expect(loaded.peerId.toString()).toBe(created.peerId.toString())
    expect(loaded.libp2pKey.type).toBe('Ed25519')
    expect(Buffer.from(loaded.encryption.publicKey).equals(created.encryption.publicKey)).toBe(true)
    // The files hold no private key in clear.
    const sealed = await readFile(files.encryption, 'utf8')
    expect(sealed).not.toContain(created.wallet.privateKey.slice(2))
  })

  it('reads the password from the named env var, or takes it directly', async () => {
    const dir = await dataDir()
    await createNodeIdentity({ dataDir: dir, passwordEnv: 'MY_PW', env: { MY_PW: 'pw-1' }, scryptN })
    await expect(loadNodeIdentity({ dataDir: dir, password: 'pw-1' })).resolves.toBeDefined()
    const err = await loadNodeIdentity({ dataDir: dir, passwordEnv: 'MY_PW', env: {} }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(KeyPasswordMissingError)
    expect((err as KeyPasswordMissingError).hint).toContain('export MY_PW=')
  })

  it('rejects a wrong password with a typed error', async () => {
    const dir = await dataDir()
    await createNodeIdentity({ dataDir: dir, env, scryptN })
    await expect(loadNodeIdentity({ dataDir: dir, password: 'wrong' })).rejects.toBeInstanceOf(KeyPasswordInvalidError)
  })

  it('refuses a key file readable by others, with a chmod hint', async () => {
    const dir = await dataDir()
    await createNodeIdentity({ dataDir: dir, env, scryptN })
    const { libp2p } = identityFiles(dir)
    await chmod(libp2p, 0o644)
    const err = await loadNodeIdentity({ dataDir: dir, env }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(KeyFileInsecureError)
    expect((err as KeyFileInsecureError).hint).toBe(`run: chmod 600 ${libp2p}`)
  })

  it('never overwrites an identity, and reports a missing one', async () => {
    const dir = await dataDir()
    await expect(loadNodeIdentity({ dataDir: dir, env })).rejects.toBeInstanceOf(IdentityMissingError)
    const first = await loadOrCreateNodeIdentity({ dataDir: dir, env, scryptN })
    expect(first.created).toBe(true)
    await expect(createNodeIdentity({ dataDir: dir, env, scryptN })).rejects.toBeInstanceOf(IdentityExistsError)
    const second = await loadOrCreateNodeIdentity({ dataDir: dir, env, scryptN })
    expect(second.created).toBe(false)
    expect(second.identity.address).toBe(first.identity.address)
  })

  it('rejects an edited or relabelled sealed key file', async () => {
    const dir = await dataDir()
    await createNodeIdentity({ dataDir: dir, env, scryptN })
    const files = identityFiles(dir)
    const sealed = JSON.parse(await readFile(files.encryption, 'utf8')) as Record<string, unknown>
    await writeFile(files.encryption, JSON.stringify({ ...sealed, publicKey: '00'.repeat(32) }), { mode: 0o600 })
    await expect(loadNodeIdentity({ dataDir: dir, env })).rejects.toBeInstanceOf(KeyPasswordInvalidError)
    await writeFile(files.encryption, JSON.stringify({ ...sealed, kind: 'libp2p-ed25519' }), { mode: 0o600 })
    await expect(loadNodeIdentity({ dataDir: dir, env })).rejects.toBeInstanceOf(KeyFileInvalidError)
    await writeFile(files.encryption, 'not json', { mode: 0o600 })
    await expect(loadNodeIdentity({ dataDir: dir, env })).rejects.toBeInstanceOf(KeyFileInvalidError)
  })

  it('creates distinct in-memory identities without touching the disk', async () => {
    const [a, b] = await Promise.all([createEphemeralIdentity(), createEphemeralIdentity()])
    expect(a.address).not.toBe(b.address)
    expect(a.peerId.equals(b.peerId)).toBe(false)
    expect(a.peerId.toString()).toBe(a.libp2pKey.publicKey.toString())
  })
})
