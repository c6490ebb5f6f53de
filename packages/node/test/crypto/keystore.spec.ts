import { decryptKeystoreJson, Wallet } from 'ethers'
import { describe, expect, it } from 'vitest'
import { KeyFileInvalidError, KeyPasswordInvalidError } from '../../src/crypto/index.js'
import { decryptWalletKeystore, encryptWalletKeystore } from '../../src/crypto/keystore.js'

describe('wallet keystore', () => {
  const wallet = new Wallet('0x' + '5a'.repeat(32))

  it('opens with Node scrypt exactly what ethers opens, and ethers opens what we write', async () => {
    const json = await encryptWalletKeystore(wallet.address, wallet.privateKey, 'pässwörd', 1 << 10)
    expect(await decryptWalletKeystore('wallet.json', json, 'pässwörd')).toBe(wallet.privateKey)
    expect((await decryptKeystoreJson(json, 'pässwörd')).privateKey).toBe(wallet.privateKey)
    // NFKC: the composed and decomposed forms of "ä" are the same password.
    expect(await decryptWalletKeystore('wallet.json', json, 'pa\u0308sswörd')).toBe(wallet.privateKey)
  })

  it('rejects a wrong password and a keystore whose address was edited', async () => {
    const json = await encryptWalletKeystore(wallet.address, wallet.privateKey, 'pw', 1 << 10)
    await expect(decryptWalletKeystore('wallet.json', json, 'other')).rejects.toBeInstanceOf(KeyPasswordInvalidError)
    const edited = JSON.stringify({ ...JSON.parse(json), address: '11'.repeat(20) })
    await expect(decryptWalletKeystore('wallet.json', edited, 'pw')).rejects.toBeInstanceOf(KeyFileInvalidError)
    await expect(decryptWalletKeystore('wallet.json', '{"version":3}', 'pw')).rejects.toBeInstanceOf(KeyFileInvalidError)
  })
})
