import { FedchainError } from '../errors.js'

/** Bytes that do not hash to the CID they were stored or fetched under. */
export class BlobHashMismatchError extends FedchainError {
  readonly cid: string
  readonly actualCid: string
  readonly source: string

  constructor(cid: string, actualCid: string, source: string) {
    super('BLOB_HASH_MISMATCH', `blob ${cid} from ${source} does not match its CID (its bytes hash to ${actualCid})`, {
      details: { cid, actualCid, source },
      hint: 'the blob was corrupted or forged; it was discarded. Report the source; the blob is fetched again from another peer',
    })
    this.cid = cid
    this.actualCid = actualCid
    this.source = source
  }
}

/** A string that is not a CID this store handles (CIDv1, raw codec, sha2-256). */
export class InvalidCidError extends FedchainError {
  constructor(cid: string, reason: string) {
    super('BLOB_CID_INVALID', `${JSON.stringify(cid.slice(0, 100))} is not a blob CID: ${reason}`, {
      details: { cid, reason },
      hint: 'blob CIDs are CIDv1 raw sha2-256 (they start with "bafkrei"); use the CID returned by put()',
    })
  }
}

/** No local copy and no peer could deliver the blob. */
export class BlobNotFoundError extends FedchainError {
  readonly cid: string

  constructor(cid: string, triedPeers: readonly string[], failures: readonly string[] = []) {
    super('BLOB_NOT_FOUND', `blob ${cid} is not stored locally and ${triedPeers.length === 0 ? 'no peer is connected' : `none of ${triedPeers.length} peers delivered it`}`, {
      details: { cid, triedPeers, failures },
      hint: 'check that the node that published it is online and connected (fedchain status), then retry',
    })
    this.cid = cid
  }
}

/** A blob above the store's size limit. */
export class BlobTooLargeError extends FedchainError {
  constructor(bytes: number, limit: number) {
    super('BLOB_TOO_LARGE', `blob of ${bytes} bytes exceeds the ${limit}-byte limit`, { details: { bytes, limit } })
  }
}

/** The external IPFS (Kubo) RPC endpoint could not be reached. */
export class BlobStoreUnreachableError extends FedchainError {
  readonly url: string

  constructor(url: string, operation: string, cause?: unknown) {
    super('BLOB_STORE_UNREACHABLE', `IPFS RPC endpoint ${url} is unreachable (${operation} failed)`, {
      details: { url, operation },
      hint: `start the Kubo daemon (\`ipfs daemon\`) and check that its RPC API answers at ${url} (\`ipfs config Addresses.API\` shows where Kubo listens), or give the node's --ipfs-api the right URL`,
      cause,
    })
    this.url = url
  }
}
