/** What an audit check compares. */
export type AuditCheck =
  | 'event-decoding'
  | 'model-spec'
  | 'base-model'
  | 'commitment'
  | 'update-blob'
  | 'update-decrypt'
  | 'update-hash'
  | 'blob-copy'
  | 'quorum'
  | 'outcome'
  | 'aggregate'
  | 'model-blob'
  | 'task-completed'
  | 'run-summary'

/** One disagreement between the chain and what the audit recomputed or fetched. */
export interface AuditMismatch {
  /** The contract's round id; null for task-level checks. */
  readonly round: number | null
  /** Who or what is at fault: a hospital or committee member address, a blob store, `task`, `chain`. */
  readonly party: string
  readonly check: AuditCheck
  readonly expected: string
  readonly found: string
  /** One sentence for the human report. */
  readonly message: string
}
