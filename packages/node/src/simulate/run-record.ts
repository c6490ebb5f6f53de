import { join } from 'node:path'
import type { EmbeddedChain } from '@fedchain/aggregator-contract/embedded'
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
 * What a simulation leaves behind for `fedchain audit`: the embedded chain disappears with the
 * process, so its aggregator logs and transactions are written out, beside the nodes' blob stores
 * and the auditor's decryption key.
 */
export interface ChainRecord {
  readonly version: 1
  readonly chainId: number
  readonly aggregator: string
  readonly token: string
  readonly taskId: string
  /**
   * The simulation's hospital ids beside their chain addresses and registry indices: aggregation
   * orders updates by hospital id, so an audit must use the same ids to reproduce the same sums.
   */
  readonly hospitals: readonly { readonly id: string; readonly address: string; readonly index: number }[]
  readonly logs: readonly RecordedLog[]
  readonly transactions: readonly RecordedTransaction[]
}

/** Files of a run directory. */
export const RUN_FILES = {
  chainRecord: join('chain', 'record.json'),
  auditorKey: 'auditor.key',
  nodes: 'nodes',
} as const

/** Writes `<out>/chain/record.json` from the embedded chain, before it stops. */
export async function writeChainRecord(parameters: {
  chain: EmbeddedChain
  aggregator: string
  token: string
  taskId: bigint
  hospitals: ChainRecord['hospitals']
  outDir: string
}): Promise<ChainRecord> {
  const { chain, aggregator } = parameters
  const provider = chain.provider
  const logs = await provider.getLogs({ address: aggregator, fromBlock: 0, toBlock: 'latest' })
  const latest = await provider.getBlockNumber()
  const transactions: RecordedTransaction[] = []
  const target = aggregator.toLowerCase()
  for (let n = 0; n <= latest; n++) {
    const block = await provider.getBlock(n, true)
    for (const tx of block?.prefetchedTransactions ?? []) {
      if (tx.to?.toLowerCase() === target) transactions.push({ hash: tx.hash, blockNumber: n, from: tx.from, input: tx.data })
    }
  }
  const record: ChainRecord = {
    version: 1,
    chainId: chain.chainId,
    aggregator,
    token: parameters.token,
    taskId: parameters.taskId.toString(),
    hospitals: parameters.hospitals,
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
