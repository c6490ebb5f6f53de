import { requireArgument } from '../errors.js'
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
 * Row indices per party.
 * - `iid`: a shuffled even split;
 * - `dirichlet`: label skew, each class split by proportions drawn from Dirichlet(α) (small α →
 *   parties dominated by few classes), as in Hsu et al. 2019;
 * - `quantity`: party sizes drawn from Dirichlet(α), labels IID within a party.
 * @throws {LearningError} when the dataset cannot give every party `minRows`
 */
export function partitionIndices({ dataset, parties, scheme, random, minRows = 10 }: PartitionParameters): number[][] {
  const n = dataset.labels.length
  requireArgument(Number.isInteger(parties) && parties >= 1, 'parties', 'a positive integer', parties)
  requireArgument(n >= parties * minRows, 'parties', `at most ${Math.floor(n / Math.max(1, minRows))} for ${n} rows`, parties)
  if (scheme.kind !== 'iid') requireArgument(scheme.alpha > 0, 'alpha', 'a positive number', scheme.alpha)
  for (let attempt = 0; attempt < 1000; attempt++) {
    const parts = drawPartition(dataset, parties, scheme, random)
    if (parts.every((p) => p.length >= minRows)) return parts.map((p) => p.sort((a, b) => a - b))
  }
  throw new RangeError(`could not give each of ${parties} parties ${minRows} rows; raise alpha or lower parties`)
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
