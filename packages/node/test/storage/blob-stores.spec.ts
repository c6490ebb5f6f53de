import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { createServer as createNetServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  BlobHashMismatchError,
  BlobNotFoundError,
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
import { startKuboRpcServer, type KuboRpcServer } from './kubo-rpc-server.js'

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
  // No Kubo binary can be installed here, so the store talks to an in-process stand-in of the
  // Kubo RPC API (see kubo-rpc-server.ts); one server serves every test of this block.
  let kubo: KuboRpcServer
  let corrupting: KuboRpcServer
  let online: KuboRpcServer

  beforeAll(async () => {
    ;[kubo, corrupting, online] = await Promise.all([startKuboRpcServer(), startKuboRpcServer({ corrupt: true }), startKuboRpcServer({ online: true })])
  })

  afterAll(async () => {
    await Promise.all([kubo, corrupting, online].map((server) => server?.close()))
  })

  shouldBehaveLikeBlobStore(async () => createKuboBlobStore({ url: kubo.url }))

  it('stores blocks in the daemon, under their CID, with block/put', async () => {
    const store = createKuboBlobStore({ url: kubo.url })
    const bytes = new TextEncoder().encode('stored in Kubo')
    const cid = await store.put(bytes)
    expect(kubo.blocks.has(cid)).toBe(true)
    expect(Buffer.from(kubo.blocks.get(cid)!).equals(bytes)).toBe(true)
    expect(kubo.requests).toContain('/api/v0/block/put')
    kubo.blocks.delete(cid)
    expect(await store.has(cid)).toBe(false)
  })

  it('rejects bytes from the daemon that do not match their CID, naming the CID and the daemon', async () => {
    const store = createKuboBlobStore({ url: corrupting.url })
    const cid = await store.put(new TextEncoder().encode('model round 3'))
    const err = await store.get(cid).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BlobHashMismatchError)
    expect(err).toMatchObject({ code: 'BLOB_HASH_MISMATCH', cid, source: `Kubo ${corrupting.url}` })
    expect((err as BlobHashMismatchError).message).toContain(cid)
  })

  it('asks an online daemon about a missing block offline, so has() and get() answer at once', async () => {
    // Without `offline`, the stand-in (like Kubo) searches the network until the request ends: the
    // test would fail on the 60 s timeout below instead of answering in milliseconds.
    const store = createKuboBlobStore({ url: online.url, timeoutMs: 60_000 })
    const missing = (await cidForBytes(new TextEncoder().encode('not in Kubo'))).toString()
    expect(await store.has(missing)).toBe(false)
    await expect(store.get(missing)).rejects.toBeInstanceOf(BlobNotFoundError)
    expect(online.requests).toEqual(['/api/v0/block/stat', '/api/v0/block/get'])
  })

  it('gives up on a daemon that accepts the connection but never answers, as unreachable', async () => {
    const silent = createNetServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
    try {
      const store = createKuboBlobStore({ url, timeoutMs: 300 })
      const started = Date.now()
      await expect(store.has((await cidForBytes(Uint8Array.of(1))).toString())).rejects.toBeInstanceOf(BlobStoreUnreachableError)
      expect(Date.now() - started).toBeLessThan(10_000)
    } finally {
      silent.close()
      silent.unref()
    }
  })

  it('passes a caller abort through instead of reporting the block missing', async () => {
    const store = createKuboBlobStore({ url: kubo.url })
    const cid = (await cidForBytes(new TextEncoder().encode('aborted'))).toString()
    const controller = new AbortController()
    controller.abort()
    await expect(store.get(cid, { signal: controller.signal })).rejects.not.toBeInstanceOf(BlobNotFoundError)
    await expect(store.has(cid, { signal: controller.signal })).rejects.toThrow()
  })

  it('reports an unreachable endpoint with a typed error naming the URL', async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    const store = createKuboBlobStore({ url: 'http://127.0.0.1:9', timeoutMs: 5_000 })
    const put = await store.put(Uint8Array.of(1)).catch((e: unknown) => e)
    expect(put).toBeInstanceOf(BlobStoreUnreachableError)
    expect(put).toMatchObject({ code: 'BLOB_STORE_UNREACHABLE', url: 'http://127.0.0.1:9' })
    expect((put as BlobStoreUnreachableError).hint).toContain('--ipfs-api')
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
