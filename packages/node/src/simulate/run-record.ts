import { join } from 'node:path'
import type { Provider } from 'ethers'
import { exportX25519PrivateKey, type X25519KeyPair } from '../crypto/index.js'
import { writeBytesAtomic } from '../util/atomic-bytes.js'
import { writeJsonAtomic } from '../util/atomic-json.js'

/** One contract log as `eth_getLogs` returns it. */
export interface RecordedLog {
  readonly blockNumber: number
  readonly transactionHash: string
  readonly logIndex: number
  readonly topics: readonly string[]
  readonly data: string
}

/** One transaction sent to the aggregator (its input holds, e.g., the salts of opened commitments). */
export interface RecordedTransaction {
  readonly hash: string
  readonly blockNumber: number
  readonly from: string
  readonly input: string
}

/**
 * What a simulation leaves behind for `fedchain audit`: the simulation's chain (embedded, or the
 * `fedchain chain start` child of `--processes`) disappears with the run, so its aggregator logs
 * and transactions are written out, beside the nodes' blob stores and the auditor's decryption key.
 */
export interface ChainRecord {
  readonly version: 1
  readonly chainId: number
  readonly aggregator: string
  readonly token: string
  readonly taskId: string
  /**
   * The simulation's hospital ids beside their chain addresses and registry indices; with
   * {@link aggregationIds} `hospital` they are the ids aggregation ordered updates by, so an audit
   * must use the same ids to reproduce the same sums.
   */
  readonly hospitals: readonly { readonly id: string; readonly address: string; readonly index: number }[]
  /**
   * The ids the committee aggregated updates under (strategies order updates by id, which decides
   * the float sums): `hospital`, the `hospitals[].id` (the in-process protocol coordinator's nodes),
   * or `address`, the lower-case chain address (`fedchain node start` daemons, as `simulate
   * --processes` runs them). Absent in records written before it existed: `hospital`.
   */
  readonly aggregationIds?: AggregationIds
  readonly logs: readonly RecordedLog[]
  readonly transactions: readonly RecordedTransaction[]
}

/** See {@link ChainRecord.aggregationIds}. */
export type AggregationIds = 'hospital' | 'address'

/** Blocks requested at once while recording the chain. */
const BLOCK_BATCH = 16

/** Files of a run directory. */
export const RUN_FILES = {
  chainRecord: join('chain', 'record.json'),
  auditorKey: 'auditor.key',
  nodes: 'nodes',
} as const

/**
 * Writes `<out>/chain/record.json` from the simulation's chain, before it stops: every aggregator
 * log since block 0 and every transaction sent to the aggregator, read through `provider` (the
 * embedded chain's, or a JSON-RPC connection to a `fedchain chain start` child).
 */
export async function writeChainRecord(parameters: {
  provider: Provider
  chainId: number
  aggregator: string
  token: string
  taskId: bigint
  hospitals: ChainRecord['hospitals']
  /** @default 'hospital' */
  aggregationIds?: AggregationIds
  outDir: string
}): Promise<ChainRecord> {
  const { provider, aggregator } = parameters
  // Logs and transactions up to one block, so the record is consistent even if the chain moves on.
  const latest = await provider.getBlockNumber()
  const logs = await provider.getLogs({ address: aggregator, fromBlock: 0, toBlock: latest })
  const transactions: RecordedTransaction[] = []
  const target = aggregator.toLowerCase()
  for (let start = 0; start <= latest; start += BLOCK_BATCH) {
    const numbers = Array.from({ length: Math.min(BLOCK_BATCH, latest - start + 1) }, (_, i) => start + i)
    const blocks = await Promise.all(numbers.map((n) => provider.getBlock(n, true)))
    for (const [i, block] of blocks.entries()) {
      for (const tx of block?.prefetchedTransactions ?? []) {
        if (tx.to?.toLowerCase() === target) transactions.push({ hash: tx.hash, blockNumber: numbers[i] as number, from: tx.from, input: tx.data })
      }
    }
  }
  const record: ChainRecord = {
    version: 1,
    chainId: parameters.chainId,
    aggregator,
    token: parameters.token,
    taskId: parameters.taskId.toString(),
    hospitals: parameters.hospitals,
    aggregationIds: parameters.aggregationIds ?? 'hospital',
    logs: logs.map((l) => ({ blockNumber: l.blockNumber, transactionHash: l.transactionHash, logIndex: l.index, topics: [...l.topics], data: l.data })),
    transactions,
  }
  await writeJsonAtomic(join(parameters.outDir, RUN_FILES.chainRecord), record)
  return record
}

/** Writes the auditor's X25519 private key (raw, hex) with mode 0600. */
export async function writeAuditorKey(outDir: string, key: X25519KeyPair): Promise<void> {
  await writeBytesAtomic(join(outDir, RUN_FILES.auditorKey), new TextEncoder().encode(`${Buffer.from(exportX25519PrivateKey(key)).toString('hex')}\n`))
}
