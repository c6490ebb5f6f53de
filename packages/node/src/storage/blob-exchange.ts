import type { AbortOptions, Libp2p, PeerId, Stream } from '@libp2p/interface'
import { byteStream } from '@libp2p/utils'
import type { BlobStore } from './blob-store.js'
import { parseBlobCid, verifyBlob } from './cid.js'
import { BLOB_FETCH_TIMEOUT_MS, BLOB_PROTOCOL, BLOB_SEND_CHUNK_BYTES, BLOB_STATUS, MAX_BLOB_BYTES, MAX_CID_STRING_BYTES, MAX_INBOUND_BLOB_STREAMS } from './constants.js'
import { BlobTooLargeError } from './errors.js'

/** The part of a libp2p node the blob exchange needs. */
export type BlobExchangeHost = Pick<Libp2p, 'handle' | 'unhandle' | 'dialProtocol' | 'getPeers'>

/** Options of {@link createBlobExchange}. */
export interface BlobExchangeInit {
  /** The node's libp2p host (shared with gossip). */
  readonly host: BlobExchangeHost
  /** Local store whose blobs are served to peers. */
  readonly store: BlobStore
  /**
   * Largest blob served or accepted, bytes.
   * @default MAX_BLOB_BYTES (1 GiB + 1 MiB)
   */
  readonly maxBlobBytes?: number
  /**
   * Time allowed for one fetch, milliseconds.
   * @default 120000
   */
  readonly timeoutMs?: number
}

/** Serves local blobs to peers and fetches blobs from them over {@link BLOB_PROTOCOL}. */
export interface BlobExchange {
  /** Registers the protocol handler. */
  start(): Promise<void>
  /** Unregisters it. */
  stop(): Promise<void>
  /**
   * Asks one peer for a blob.
   *
   * @returns the verified bytes, or `undefined` when the peer does not have it
   * @throws {@link BlobHashMismatchError} the peer sent other bytes (naming the CID and peer)
   * @throws {@link BlobTooLargeError} the peer announced more than `maxBlobBytes`
   */
  fetch(peer: PeerId, cid: string, options?: AbortOptions): Promise<Uint8Array | undefined>
}

/**
 * The blob exchange protocol (`/fedchain/blob/1.0.0`), one stream per request:
 * request `u16 n ‖ CID string (n bytes, ASCII)`; response `u8 status` then, when status = 0
 * (found), `u64 length ‖ bytes`. Status 1 = not found, 2 = bad request. Big-endian.
 */
export function createBlobExchange(init: BlobExchangeInit): BlobExchange {
  const { host, store } = init
  const maxBlobBytes = init.maxBlobBytes ?? MAX_BLOB_BYTES
  const timeoutMs = init.timeoutMs ?? BLOB_FETCH_TIMEOUT_MS

  async function serve(stream: Stream): Promise<void> {
    const signal = AbortSignal.timeout(timeoutMs)
    const bytes = byteStream(stream, { maxBufferSize: 2 + MAX_CID_STRING_BYTES })
    try {
      const length = (await bytes.read({ bytes: 2, signal })).subarray()
      const cidLength = (length[0]! << 8) | length[1]!
      if (cidLength === 0 || cidLength > MAX_CID_STRING_BYTES) {
        await bytes.write(Uint8Array.of(BLOB_STATUS.badRequest), { signal })
        await stream.close({ signal })
        return
      }
      const cid = new TextDecoder().decode((await bytes.read({ bytes: cidLength, signal })).subarray())
      let status: number = BLOB_STATUS.found
      try {
        parseBlobCid(cid)
        if (!(await store.has(cid, { signal }))) status = BLOB_STATUS.notFound
      } catch {
        status = BLOB_STATUS.badRequest
      }
      if (status !== BLOB_STATUS.found) {
        await bytes.write(Uint8Array.of(status), { signal })
        await stream.close({ signal })
        return
      }
      const blob = await store.get(cid, { signal })
      const head = new Uint8Array(9)
      head[0] = BLOB_STATUS.found
      new DataView(head.buffer).setBigUint64(1, BigInt(blob.length))
      await bytes.write(head, { signal })
      for (let at = 0; at < blob.length; at += BLOB_SEND_CHUNK_BYTES) {
        await bytes.write(blob.subarray(at, Math.min(at + BLOB_SEND_CHUNK_BYTES, blob.length)), { signal })
      }
      await stream.close({ signal })
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    }
  }

  return {
    async start() {
      await host.handle(BLOB_PROTOCOL, (stream) => serve(stream), { maxInboundStreams: MAX_INBOUND_BLOB_STREAMS })
    },
    async stop() {
      await host.unhandle(BLOB_PROTOCOL)
    },
    async fetch(peer, cid, options = {}) {
      const parsed = parseBlobCid(cid)
      const signal = options.signal === undefined ? AbortSignal.timeout(timeoutMs) : AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)])
      const stream = await host.dialProtocol(peer, BLOB_PROTOCOL, { signal })
      try {
        const bytes = byteStream(stream, { maxBufferSize: maxBlobBytes + 16 })
        const cidBytes = new TextEncoder().encode(parsed.toString())
        const request = new Uint8Array(2 + cidBytes.length)
        request[0] = cidBytes.length >> 8
        request[1] = cidBytes.length & 0xff
        request.set(cidBytes, 2)
        await bytes.write(request, { signal })
        const status = (await bytes.read({ bytes: 1, signal })).get(0)
        if (status !== BLOB_STATUS.found) {
          await stream.close({ signal })
          return undefined
        }
        const lengthBytes = (await bytes.read({ bytes: 8, signal })).subarray()
        const length = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 8).getBigUint64(0)
        if (length > BigInt(maxBlobBytes)) throw new BlobTooLargeError(Number(length), maxBlobBytes)
        const blob = length === 0n ? new Uint8Array(0) : (await bytes.read({ bytes: Number(length), signal })).subarray()
        await stream.close({ signal })
        await verifyBlob(parsed, blob, `peer ${peer.toString()}`)
        return blob
      } catch (err) {
        stream.abort(err instanceof Error ? err : new Error(String(err)))
        throw err
      }
    },
  }
}
