import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  BlobHashMismatchError,
  BlobStoreUnreachableError,
  blobStorePath,
  createFsBlobStore,
  createKuboBlobStore,
  createMemoryBlobStore,
  cidForBytes,
  parseBlobCid,
  verifyBlob,
} from '../../src/storage/index.js'
import { shouldBehaveLikeBlobStore } from './blob-store-behaviour.js'

describe('memory blob store', () => {
  shouldBehaveLikeBlobStore(async () => createMemoryBlobStore())
})

describe('filesystem blob store', () => {
  shouldBehaveLikeBlobStore(async () => createFsBlobStore({ path: blobStorePath(await mkdtemp(join(tmpdir(), 'fedchain-blobs-'))) }))

  it('rejects and removes a block corrupted on disk, naming the CID', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'fedchain-blobs-')), 'blobs')
    const store = await createFsBlobStore({ path })
    const cid = await store.put(new TextEncoder().encode('model round 3'))
    const file = await findFile(path)
    await writeFile(file, 'model round 4')
    const err = await store.get(cid).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BlobHashMismatchError)
    expect((err as BlobHashMismatchError).cid).toBe(cid)
    expect((err as BlobHashMismatchError).message).toContain(cid)
    expect(await store.has(cid)).toBe(false)
    await store.close?.()
  })

  it('keeps blobs across reopening', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'fedchain-blobs-')), 'blobs')
    const first = await createFsBlobStore({ path })
    const cid = await first.put(Uint8Array.of(9, 9, 9))
    await first.close?.()
    const second = await createFsBlobStore({ path })
    expect([...(await second.get(cid))]).toEqual([9, 9, 9])
  })
})

describe('verifyBlob', () => {
  it('throws a typed error naming the expected CID, the actual one and the source', async () => {
    const cid = await cidForBytes(Uint8Array.of(1))
    const err = await verifyBlob(cid, Uint8Array.of(2), 'peer 12D3KooX').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BlobHashMismatchError)
    expect(err).toMatchObject({ code: 'BLOB_HASH_MISMATCH', cid: cid.toString(), source: 'peer 12D3KooX' })
    expect((err as BlobHashMismatchError).actualCid).toBe((await cidForBytes(Uint8Array.of(2))).toString())
    expect(parseBlobCid(cid.toString()).equals(cid)).toBe(true)
  })
})

describe('Kubo RPC blob store', () => {
  it('reports an unreachable endpoint with a typed error naming the URL', async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    const store = createKuboBlobStore({ url: 'http://127.0.0.1:9', timeoutMs: 5_000 })
    const put = await store.put(Uint8Array.of(1)).catch((e: unknown) => e)
    expect(put).toBeInstanceOf(BlobStoreUnreachableError)
    expect(put).toMatchObject({ code: 'BLOB_STORE_UNREACHABLE', url: 'http://127.0.0.1:9' })
    expect((put as BlobStoreUnreachableError).hint).toContain('createKuboBlobStore')
    const cid = (await cidForBytes(Uint8Array.of(1))).toString()
    await expect(store.get(cid)).rejects.toBeInstanceOf(BlobStoreUnreachableError)
    await expect(store.has(cid)).rejects.toBeInstanceOf(BlobStoreUnreachableError)
  })
})

async function findFile(dir: string): Promise<string> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) return join(entry.parentPath, entry.name)
  }
  throw new Error(`no file under ${dir}`)
}
