import { create, type HTTPRPCOptions, type KuboRPCClient } from 'kubo-rpc-client'
import type { BlobStore } from './blob-store.js'
import { parseBlobCid, verifyBlob } from './cid.js'
import { MAX_BLOB_BYTES } from './constants.js'
import { BlobNotFoundError, BlobStoreUnreachableError, BlobTooLargeError } from './errors.js'

/** Options of {@link createKuboBlobStore}. */
export interface KuboBlobStoreInit {
  /** Kubo RPC API URL, e.g. `http://127.0.0.1:5001` (`ipfs config Addresses.API`). */
  readonly url: string
  /**
   * Per-request timeout in milliseconds; a daemon that does not answer in time counts as
   * unreachable. A `put` of a blob of B bytes gets this plus 1 ms per 10 kB on top.
   * @default 30000
   */
  readonly timeoutMs?: number
}

/** A Kubo-backed {@link BlobStore} that can also be asked whether the daemon answers. */
export interface KuboBlobStore extends BlobStore {
  /**
   * Asks the daemon once, so a wrong URL or a stopped daemon shows before the first real request.
   * @throws {BlobStoreUnreachableError} the RPC API does not answer
   */
  ping(options?: { signal?: AbortSignal }): Promise<void>
}

/** CIDv1 raw sha2-256 of the empty blob. */
const EMPTY_BLOB_CID = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'

/**
 * A {@link BlobStore} backed by an external Kubo (go-ipfs) daemon over its RPC API. Blobs are stored
 * as single raw blocks (`block/put`, CIDv1 raw sha2-256), so CIDs are identical to the embedded
 * store's and anything in the IPFS network can serve them. `get` verifies the bytes like every store.
 *
 * @throws {@link BlobStoreUnreachableError} from any operation when the daemon does not answer
 */
export function createKuboBlobStore(init: KuboBlobStoreInit): KuboBlobStore {
  const url = init.url
  const timeoutMs = init.timeoutMs ?? 30_000
  let client: KuboRPCClient
  try {
    // kubo-rpc-client 7.1 never applies its own `timeout` option (its check requires isNaN of the
    // number), so every call carries an AbortSignal.timeout instead (see `limits`).
    client = create({ url })
  } catch (cause) {
    throw new BlobStoreUnreachableError(url, 'parse URL', cause)
  }
  const source = `Kubo ${url}`

  /** The caller's signal, if any, joined with this store's timeout. */
  function limits(options: { signal?: AbortSignal } | undefined, extraMs = 0): { signal: AbortSignal } {
    const timeout = AbortSignal.timeout(timeoutMs + extraMs)
    return { signal: options?.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]) }
  }
  // `offline` is Kubo's global flag: answer from the local repo instead of searching the IPFS
  // network for a block it lacks, which an online daemon does until the request is cancelled.
  // The client forwards options it does not know as query parameters.
  const local = (options: { signal?: AbortSignal } | undefined): HTTPRPCOptions & { offline: boolean } => ({ offline: true, ...limits(options) })

  async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      if (isConnectionError(err)) throw new BlobStoreUnreachableError(url, operation, err)
      throw err
    }
  }

  const store: KuboBlobStore = {
    async ping(options) {
      // Any answer will do: an offline `block/stat` of the empty blob costs the daemon nothing.
      await store.has(EMPTY_BLOB_CID, options)
    },
    async put(bytes, options) {
      if (bytes.length > MAX_BLOB_BYTES) throw new BlobTooLargeError(bytes.length, MAX_BLOB_BYTES)
      // allowBigBlock: updates exceed Kubo's 1 MiB default block limit; they are stored whole
      // so the CID stays sha256(bytes).
      const cid = await call('block/put', () => client.block.put(bytes, { format: 'raw', mhtype: 'sha2-256', version: 1, allowBigBlock: true, ...limits(options, Math.ceil(bytes.length / 10_000)) }))
      return cid.toString()
    },
    async get(cid, options) {
      const parsed = parseBlobCid(cid)
      let bytes: Uint8Array
      try {
        bytes = await call('block/get', () => client.block.get(parsed, local(options)))
      } catch (err) {
        if (err instanceof BlobStoreUnreachableError || options?.signal?.aborted === true) throw err
        throw new BlobNotFoundError(cid, [], [String(err)])
      }
      await verifyBlob(parsed, bytes, source)
      return bytes
    },
    async has(cid, options) {
      const parsed = parseBlobCid(cid)
      try {
        await call('block/stat', () => client.block.stat(parsed, local(options)))
        return true
      } catch (err) {
        if (err instanceof BlobStoreUnreachableError || options?.signal?.aborted === true) throw err
        return false
      }
    },
    async delete(cid, options) {
      const parsed = parseBlobCid(cid)
      await call('block/rm', async () => {
        for await (const result of client.block.rm(parsed, { force: true, ...limits(options) })) {
          if (result.error !== undefined) throw result.error
        }
      })
    },
  }
  return store
}

/** fetch() failures (refused, DNS, reset) surface as TypeError "fetch failed" with a code in the cause chain. */
function isConnectionError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e != null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|UND_ERR_CONNECT_TIMEOUT|UND_ERR_SOCKET)$/.test(code)) return true
    const message = (e as { message?: unknown }).message
    if (typeof message === 'string' && /fetch failed|ECONNREFUSED|request to .* failed|timed? ?out/i.test(message)) return true
    const name = (e as { name?: unknown }).name
    if (name === 'TimeoutError') return true
  }
  return false
}
