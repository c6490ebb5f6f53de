import type { AggregatorClient } from '../protocol/aggregator-client.js'

/** Parameters of {@link committeeKeys}. */
export interface CommitteeKeysParameters {
  readonly client: Pick<AggregatorClient, 'hospitalAt' | 'hospital'>
  /** The round's committee as a bitmap of registry indices. */
  readonly committee: bigint
  /** Called with the address of a member whose registry profile holds no usable key. */
  readonly onMissingKey?: (member: string) => void
}

/**
 * The X25519 keys an update is encrypted to: one per committee member, in registry order. A
 * member whose registry profile does not decode has no key; it is left out (it cannot open the
 * update and judges it unopened) instead of failing the share for every hospital of the round.
 */
export async function committeeKeys(p: CommitteeKeysParameters): Promise<Uint8Array[]> {
  const keys: Uint8Array[] = []
  for (let i = 0, bits = p.committee; bits > 0n; i++, bits >>= 1n) {
    if ((bits & 1n) !== 1n) continue
    const member = await p.client.hospitalAt(i)
    const { encryptionKey } = await p.client.hospital(member)
    if (encryptionKey.every((byte) => byte === 0)) p.onMissingKey?.(member)
    else keys.push(encryptionKey)
  }
  return keys
}
