import { randomBytes } from 'node:crypto'
import { aggregatorInterface } from '@fedchain/aggregator-contract'
import { Wallet } from 'ethers'
import { describe, expect, it } from 'vitest'
import { shareSalt } from '../../src/audit/decode-events.js'

const hex32 = () => `0x${randomBytes(32).toString('hex')}`

describe('shareSalt', () => {
  it('reads the salt of a share call', () => {
    const salt = hex32()
    const input = aggregatorInterface.encodeFunctionData('share', [1n, 2, hex32(), 10n, salt, 0n, 'bafkrei'])
    expect(shareSalt({ hash: hex32(), blockNumber: 1, from: Wallet.createRandom().address, input })).toBe(salt)
  })

  it('picks the hospital’s own entry of a relayed shareBatch', () => {
    const [a, b] = [Wallet.createRandom().address, Wallet.createRandom().address]
    const [saltA, saltB] = [hex32(), hex32()]
    const entry = (hospital: string, salt: string) => ({ hospital, updateHash: hex32(), sampleCount: 5n, salt, epsilonSpent: 0n, updateCid: 'bafkrei', r: hex32(), vs: hex32() })
    const input = aggregatorInterface.encodeFunctionData('shareBatch', [1n, 2, [entry(a, saltA), entry(b, saltB)]])
    const relayed = { hash: hex32(), blockNumber: 1, from: Wallet.createRandom().address, input }
    expect(shareSalt(relayed, b)).toBe(saltB)
    expect(shareSalt(relayed, a.toLowerCase())).toBe(saltA)
    expect(shareSalt(relayed, Wallet.createRandom().address)).toBeUndefined()
  })

  it('finds no salt in other calls', () => {
    const input = aggregatorInterface.encodeFunctionData('commit', [1n, 2, hex32()])
    expect(shareSalt({ hash: hex32(), blockNumber: 1, from: Wallet.createRandom().address, input })).toBeUndefined()
    expect(shareSalt({ hash: hex32(), blockNumber: 1, from: Wallet.createRandom().address, input: '0x1234' })).toBeUndefined()
  })
})
