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
})
