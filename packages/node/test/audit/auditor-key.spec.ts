import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { AuditorKeyError } from '../../src/audit/errors.js'
import { loadAuditorKey } from '../../src/audit/run-inputs.js'
import { exportX25519PrivateKey, generateX25519KeyPair } from '../../src/crypto/index.js'
import { sealKey } from '../../src/crypto/sealed-key.js'

let dir: string
const pair = generateX25519KeyPair()
const envVar = 'FEDCHAIN_TEST_AUDITOR_PASSWORD'

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fedchain-auditor-key-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

afterEach(() => {
  delete process.env[envVar]
})

describe('loadAuditorKey', () => {
  it('reads a raw hex key (a run’s auditor.key)', async () => {
    const path = join(dir, 'auditor.key')
    await writeFile(path, `${Buffer.from(exportX25519PrivateKey(pair)).toString('hex')}\n`)
    expect((await loadAuditorKey(path)).publicKey).toEqual(pair.publicKey)
  })

  it('opens a node’s sealed encryption key with the password from the environment', async () => {
    const path = join(dir, 'encryption.key')
    await writeFile(path, JSON.stringify(await sealKey('x25519', exportX25519PrivateKey(pair), pair.publicKey, 'correct horse', 1024)))
    await expect(loadAuditorKey(path, { passwordEnv: envVar })).rejects.toMatchObject({ code: 'KEY_PASSWORD_MISSING' })
    process.env[envVar] = 'wrong'
    await expect(loadAuditorKey(path, { passwordEnv: envVar })).rejects.toMatchObject({ code: 'KEY_PASSWORD_INVALID' })
    process.env[envVar] = 'correct horse'
    expect((await loadAuditorKey(path, { passwordEnv: envVar })).publicKey).toEqual(pair.publicKey)
  })

  it('names the file and the fix when the key is missing or malformed', async () => {
    const missing = join(dir, 'nope.key')
    await expect(loadAuditorKey(missing)).rejects.toThrow(AuditorKeyError)
    await expect(loadAuditorKey(missing)).rejects.toMatchObject({ code: 'AUDIT_KEY_INVALID', shortMessage: `auditor key ${missing} does not exist` })
    const short = join(dir, 'short.key')
    await writeFile(short, 'abcd')
    await expect(loadAuditorKey(short)).rejects.toMatchObject({ shortMessage: `auditor key ${short} holds neither 64 hex characters nor a sealed x25519 key file` })
  })
})
