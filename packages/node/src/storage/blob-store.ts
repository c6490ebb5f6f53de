import type { AbortOptions } from '@libp2p/interface'

/**
 * Content-addressed storage for update envelopes and models. Every implementation returns CIDv1
 * raw sha2-256 strings from `put` and verifies the hash on `get`, so bytes that do not match their
 * CID never reach the caller.
 */
export interface BlobStore {
  /**
   * Stores bytes.
   *
   * @returns the CID string (`bafkrei…`)
   * @throws {@link BlobTooLargeError} above the store's limit
   */
  put(bytes: Uint8Array, options?: AbortOptions): Promise<string>
  /**
   * Returns the bytes of a CID, verified against it.
   *
   * @throws {@link InvalidCidError} not a blob CID
   * @throws {@link BlobHashMismatchError} the bytes found do not match (they are discarded)
   * @throws {@link BlobNotFoundError} nowhere to be found
   */
  get(cid: string, options?: AbortOptions): Promise<Uint8Array>
  /** Whether the blob is available without asking peers. */
  has(cid: string, options?: AbortOptions): Promise<boolean>
  /** Removes a local copy (no-op when absent). */
  delete?(cid: string, options?: AbortOptions): Promise<void>
  /** Releases resources (files, connections). */
  close?(): Promise<void>
}
