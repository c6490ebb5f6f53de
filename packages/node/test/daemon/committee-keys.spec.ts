import { describe, expect, it } from 'vitest'
import { committeeKeys } from '../../src/daemon/committee-keys.js'
import type { HospitalRecord } from '../../src/protocol/aggregator-client.js'

// A registry of four hospitals; the third stored a profile that does not decode (zero key).
const keyOf = (i: number) => (i === 2 ? new Uint8Array(32) : new Uint8Array(32).fill(i + 1))
const registry = {
  hospitalAt: async (i: number) => `0x${String(i).padStart(40, '0')}`,
  hospital: async (address: string) => ({ encryptionKey: keyOf(Number(BigInt(address))) }) as unknown as HospitalRecord,
}

describe('committeeKeys', () => {
  it('returns the members’ keys in registry order', async () => {
    const keys = await committeeKeys({ client: registry, committee: 0b1011n })
    expect(keys.map((k) => k[0])).toEqual([1, 2, 4])
  })

  it('leaves out a member without a usable key and says which', async () => {
    const missing: string[] = []
    const keys = await committeeKeys({ client: registry, committee: 0b0111n, onMissingKey: (m) => missing.push(m) })
    expect(keys.map((k) => k[0])).toEqual([1, 2])
    expect(missing).toEqual([`0x${'2'.padStart(40, '0')}`])
  })
})
