import { Wallet } from 'ethers'
import { describe, expect, it } from 'vitest'
import { recoverSigner, signBytes, SignatureInvalidError } from '../../src/crypto/index.js'

describe('signBytes / recoverSigner', () => {
  const wallet = new Wallet('0x' + '42'.repeat(32))
  const bytes = new TextEncoder().encode('fedchain/gossip/v1 payload')

  it('recovers the signing wallet address', () => {
    expect(recoverSigner(bytes, signBytes(wallet, bytes))).toBe(wallet.address)
  })

  it('recovers another address for other bytes', () => {
    const sig = signBytes(wallet, bytes)
    expect(recoverSigner(new TextEncoder().encode('other'), sig)).not.toBe(wallet.address)
  })

  it('throws a typed error on malformed signatures', () => {
    expect(() => recoverSigner(bytes, '0x1234')).toThrow(SignatureInvalidError)
    expect(() => recoverSigner(bytes, '0x' + '00'.repeat(65))).toThrow(SignatureInvalidError)
  })

  it('accepts only v = 27/28, so a signature has one byte encoding', () => {
    const sig = signBytes(wallet, bytes)
    const v = Number.parseInt(sig.slice(-2), 16)
    // 35 + 2·chainId + parity is an EIP-155 v that ethers would read as the same signature.
    const eip155 = sig.slice(0, -2) + (v - 27 + 43).toString(16)
    expect(() => recoverSigner(bytes, eip155)).toThrow(SignatureInvalidError)
  })

  it('rejects the malleable high-s twin of a valid signature', () => {
    const sig = signBytes(wallet, bytes)
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
    const s = BigInt('0x' + sig.slice(66, 130))
    const v = sig.slice(-2) === '1b' ? '1c' : '1b'
    const twin = sig.slice(0, 66) + (n - s).toString(16).padStart(64, '0') + v
    expect(() => recoverSigner(bytes, twin)).toThrow(SignatureInvalidError)
  })
})
