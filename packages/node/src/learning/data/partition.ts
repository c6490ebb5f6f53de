import { LearningError, requireArgument } from '../errors.js'
import type { SeededRandom } from '../random.js'
import type { Dataset } from './dataset.js'

/** How a simulation spreads one dataset over hospitals. */
export type PartitionScheme =
  | { readonly kind: 'iid' }
  | { readonly kind: 'dirichlet'; readonly alpha: number }
  | { readonly kind: 'quantity'; readonly alpha: number }

export interface PartitionParameters {
  readonly dataset: Dataset
  readonly parties: number
  readonly scheme: PartitionScheme
  readonly random: SeededRandom
  /** Every party gets at least this many rows (re-drawn until it holds). @default 10 */
  readonly minRows?: number
}

/**
 * The dataset is too small to give every party its minimum number of rows, or no draw of the
 * partition did. Code `LEARNING_INVALID_ARGUMENT`; the numbers are fields (and `details`), so a
 * caller can restate the problem in its own terms (`fedchain simulate` names `--nodes`).
 */
export class PartitionTooSmallError extends LearningError {
  readonly parties: number
  readonly rows: number
  readonly minRows: number
  /** False when the rows would suffice but the skewed draws kept leaving a party short. */
  readonly tooFewRows: boolean

  constructor(parties: number, rows: number, minRows: number, tooFewRows: boolean) {
    const most = Math.floor(rows / Math.max(1, minRows))
    super(
      'LEARNING_INVALID_ARGUMENT',
      tooFewRows
        ? `${parties} parties need at least ${parties * minRows} rows (${minRows} each); the dataset has ${rows}`
        : `could not give each of ${parties} parties ${minRows} rows out of ${rows} in 1000 skewed draws`,
      {
        details: { argument: 'parties', parties, rows, minRows },
        hint: tooFewRows
          ? `${most === 0 ? 'no party fits' : `use at most ${most} parties`}, or a dataset of at least ${parties * minRows} rows`
          : 'raise α (a less skewed partition), use an IID partition, or use fewer parties',
      },
    )
    this.parties = parties
    this.rows = rows
    this.minRows = minRows
    this.tooFewRows = tooFewRows
  }
}

/**
 * Row indices per party.
 * - `iid`: a shuffled even split;
 * - `dirichlet`: label skew, each class split by proportions drawn from Dirichlet(α) (small α →
 *   parties dominated by few classes), as in Hsu et al. 2019;
 * - `quantity`: party sizes drawn from Dirichlet(α), labels IID within a party.
 * @throws {PartitionTooSmallError} when the dataset cannot give every party `minRows`
 * @throws {LearningError} when `parties` or α is not positive
 */
export function partitionIndices({ dataset, parties, scheme, random, minRows = 10 }: PartitionParameters): number[][] {
  const n = dataset.labels.length
  requireArgument(Number.isInteger(parties) && parties >= 1, 'parties', 'a positive integer', parties)
  if (n < parties * minRows) throw new PartitionTooSmallError(parties, n, minRows, true)
  if (scheme.kind !== 'iid') requireArgument(scheme.alpha > 0, 'alpha', 'a positive number', scheme.alpha)
  for (let attempt = 0; attempt < 1000; attempt++) {
    const parts = drawPartition(dataset, parties, scheme, random)
    if (parts.every((p) => p.length >= minRows)) return parts.map((p) => p.sort((a, b) => a - b))
  }
  throw new PartitionTooSmallError(parties, n, minRows, false)
}

function drawPartition(dataset: Dataset, parties: number, scheme: PartitionScheme, random: SeededRandom): number[][] {
  const n = dataset.labels.length
  const parts: number[][] = Array.from({ length: parties }, () => [])
  if (scheme.kind === 'iid' || scheme.kind === 'quantity') {
    const order = random.shuffle(Array.from({ length: n }, (_, i) => i))
    const shares = scheme.kind === 'iid' ? new Array<number>(parties).fill(1 / parties) : random.dirichlet(scheme.alpha, parties)
    splitByShares(order, shares, parts)
    return parts
  }
  const byClass: number[][] = Array.from({ length: dataset.numClasses }, () => [])
  dataset.labels.forEach((y, i) => byClass[y]?.push(i))
  for (const rows of byClass) {
    random.shuffle(rows)
    splitByShares(rows, random.dirichlet(scheme.alpha, parties), parts)
  }
  return parts
}

function splitByShares(rows: readonly number[], shares: readonly number[], parts: number[][]): void {
  let start = 0
  let cumulative = 0
  shares.forEach((share, p) => {
    cumulative += share
    const end = p === shares.length - 1 ? rows.length : Math.round(cumulative * rows.length)
    parts[p]?.push(...rows.slice(start, end))
    start = end
  })
}

/**
 * Parses `iid`, `dirichlet:<α>` or `quantity:<α>`.
 * @throws {LearningError} on anything else
 */
export function parsePartitionScheme(text: string): PartitionScheme {
  if (text === 'iid') return { kind: 'iid' }
  const match = /^(dirichlet|quantity):([0-9.eE+-]+)$/.exec(text)
  const alpha = match ? Number(match[2]) : Number.NaN
  requireArgument(match !== null && Number.isFinite(alpha) && alpha > 0, '--partition', 'iid, dirichlet:<α> or quantity:<α> with α > 0', text)
  return { kind: match?.[1] as 'dirichlet' | 'quantity', alpha }
}
