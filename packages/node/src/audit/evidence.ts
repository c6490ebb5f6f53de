import type { BlobLookup, BlobStoreSet } from './blob-copies.js'
import type { AuditMismatch } from './mismatch.js'

/** Inputs of {@link fetchEvidence}. */
export interface FetchEvidenceParameters {
  readonly stores: BlobStoreSet
  readonly cid: string
  /** Round the blob belongs to, for the report; null for task-level blobs. */
  readonly round: number | null
  /** What the blob is, for the report ("the model", "the update of 0x…"). */
  readonly what: string
  readonly report: (mismatch: AuditMismatch) => void
}

/** Looks a blob up in every store, reporting each copy that does not match its CID. */
export async function fetchEvidence(p: FetchEvidenceParameters): Promise<BlobLookup> {
  const lookup = await p.stores.lookup(p.cid)
  for (const copy of lookup.copies) {
    if (copy.status === 'corrupt') {
      p.report({
        round: p.round,
        party: copy.store,
        check: 'blob-copy',
        expected: p.cid,
        found: copy.actualCid ?? 'unknown',
        message: `the copy of ${p.what} ${p.cid} in ${copy.store} does not match its CID (tampered or corrupted)`,
      })
    }
  }
  return lookup
}
