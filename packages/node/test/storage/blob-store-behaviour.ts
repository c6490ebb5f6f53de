import { expect, it } from 'vitest'
import { BlobNotFoundError, InvalidCidError, cidForBytes, type BlobStore } from '../../src/storage/index.js'

/** Behaviour every {@link BlobStore} must show. */
export function shouldBehaveLikeBlobStore(make: () => Promise<BlobStore>): void {
  it('returns a CIDv1 raw sha2-256 CID and the same bytes back', async () => {
    const store = await make()
    const bytes = new TextEncoder().encode('an encrypted update')
    const cid = await store.put(bytes)
    expect(cid).toMatch(/^bafkrei[a-z2-7]{52}$/)
    expect(cid).toBe((await cidForBytes(bytes)).toString())
    expect(await store.has(cid)).toBe(true)
    expect(Buffer.from(await store.get(cid)).equals(bytes)).toBe(true)
    await store.close?.()
  })

  it('is idempotent on put and stores the empty blob', async () => {
    const store = await make()
    const bytes = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251)
    expect(await store.put(bytes)).toBe(await store.put(bytes))
    const empty = await store.put(new Uint8Array(0))
    expect((await store.get(empty)).length).toBe(0)
    await store.close?.()
  })

  it('reports an unknown CID as not found and a non-CID as invalid', async () => {
    const store = await make()
    const missing = (await cidForBytes(new TextEncoder().encode('never stored'))).toString()
    expect(await store.has(missing)).toBe(false)
    await expect(store.get(missing)).rejects.toBeInstanceOf(BlobNotFoundError)
    await expect(store.get('not-a-cid')).rejects.toBeInstanceOf(InvalidCidError)
    // A CIDv0 (dag-pb) is a valid CID but not a blob CID.
    await expect(store.get('QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG')).rejects.toBeInstanceOf(InvalidCidError)
    await store.close?.()
  })

  it('deletes', async () => {
    const store = await make()
    const cid = await store.put(Uint8Array.of(1, 2, 3))
    await store.delete?.(cid)
    expect(await store.has(cid)).toBe(store.delete === undefined)
    await store.close?.()
  })
}
