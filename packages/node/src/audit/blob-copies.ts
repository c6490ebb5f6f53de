import { access, constants, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { NextToLast } from 'blockstore-fs/sharding'
import { cidForBytes, parseBlobCid } from '../storage/index.js'
import { BlobDirectoryError } from './errors.js'

/** One store's copy of a blob. */
export interface BlobCopy {
  /** The blob store directory. */
  readonly store: string
  /** `valid` when the bytes hash to the CID, else `corrupt` with the CID they do hash to. */
  readonly status: 'valid' | 'corrupt'
  readonly actualCid?: string
}

/** Every copy of one blob across the stores, and the bytes of the first valid one. */
export interface BlobLookup {
  readonly cid: string
  readonly bytes: Uint8Array | undefined
  readonly copies: readonly BlobCopy[]
  /** Set when `cid` is not a blob CID at all. */
  readonly invalidCid?: string
}

/**
 * Read-only access to node blob stores (`<node data dir>/blobs`, the filesystem blockstore). Unlike
 * a node's own store, which deletes a block that no longer matches its CID, an auditor must leave
 * the evidence as it found it: every copy is read and checked, none is changed.
 */
export interface BlobStoreSet {
  readonly dirs: readonly string[]
  lookup(cid: string): Promise<BlobLookup>
}

const sharding = new NextToLast()

/**
 * Opens blob store directories for reading.
 * @throws {BlobDirectoryError} when a directory does not exist or cannot be read
 */
export async function openBlobStores(dirs: readonly string[]): Promise<BlobStoreSet> {
  for (const dir of dirs) {
    try {
      if (!(await stat(dir)).isDirectory()) throw new BlobDirectoryError(dir, 'not a directory')
      await access(dir, constants.R_OK | constants.X_OK)
    } catch (cause) {
      if (cause instanceof BlobDirectoryError) throw cause
      const code = (cause as { code?: string }).code
      throw new BlobDirectoryError(dir, code === 'ENOENT' ? 'no such directory' : (code ?? (cause as Error).message), cause)
    }
  }
  const cache = new Map<string, Promise<BlobLookup>>()

  async function lookup(cid: string): Promise<BlobLookup> {
    let parsed
    try {
      parsed = parseBlobCid(cid)
    } catch (error) {
      return { cid, bytes: undefined, copies: [], invalidCid: (error as { shortMessage?: string }).shortMessage ?? (error as Error).message }
    }
    const { dir, file } = sharding.encode(parsed)
    const copies: BlobCopy[] = []
    let valid: Uint8Array | undefined
    for (const store of dirs) {
      let bytes: Uint8Array
      try {
        bytes = new Uint8Array(await readFile(join(store, dir, file)))
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') continue
        throw new BlobDirectoryError(store, `cannot read ${join(dir, file)} (${(error as Error).message})`, error)
      }
      const actual = (await cidForBytes(bytes)).toString()
      if (actual === parsed.toString()) {
        copies.push({ store, status: 'valid' })
        valid ??= bytes
      } else {
        copies.push({ store, status: 'corrupt', actualCid: actual })
      }
    }
    return { cid, bytes: valid, copies }
  }

  return {
    dirs,
    lookup(cid) {
      let found = cache.get(cid)
      if (found === undefined) {
        found = lookup(cid)
        cache.set(cid, found)
      }
      return found
    },
  }
}
