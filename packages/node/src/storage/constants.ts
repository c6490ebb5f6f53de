/** libp2p protocol id of the blob exchange (fetch a blob by CID from a peer). */
export const BLOB_PROTOCOL = '/fedchain/blob/1.0.0'

/** Largest blob a store accepts or a peer serves: 1 GiB + envelope header room. */
export const MAX_BLOB_BYTES = (1 << 30) + (1 << 20)

/** Longest CID string accepted in a request, bytes (a CIDv1 base32 sha256 CID is 59). */
export const MAX_CID_STRING_BYTES = 256

/** Bytes written per stream `send()` when serving a blob: 1 MiB. */
export const BLOB_SEND_CHUNK_BYTES = 1 << 20

/** Time allowed for one peer to deliver one blob before the next peer is tried: 2 mins. */
export const BLOB_FETCH_TIMEOUT_MS = 2 * 60_000

/** Concurrent inbound blob requests per connection. */
export const MAX_INBOUND_BLOB_STREAMS = 16

/** Directory under the data dir for the filesystem blockstore. */
export const BLOBS_DIR = 'blobs'

/** Response status bytes of {@link BLOB_PROTOCOL}. */
export const BLOB_STATUS = { found: 0, notFound: 1, badRequest: 2 } as const
