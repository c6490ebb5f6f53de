import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { aggregatorInterface } from '@fedchain/aggregator-contract'
import type { Provider } from 'ethers'
import { connectRpc } from '../chain/provider.js'
import { RUN_FILES, type RecordedLog, type RecordedTransaction } from '../simulate/run-record.js'
import { RunRecordInvalidError, RunRecordMissingError } from './errors.js'

/** Transactions requested at once from an RPC endpoint. */
const TRANSACTION_BATCH = 16

/**
 * Everything the aggregator left on chain, whatever it was read from: its logs in chain order and
 * the transactions sent to it (their input holds what events do not, e.g. the salts of `share`).
 */
export interface ChainHistory {
  /** Where the history came from, for reports: a file path or an RPC URL. */
  readonly source: string
  readonly chainId: number
  readonly aggregator: string
  /** The run's task when the source says (a simulation runs one task). */
  readonly taskId?: bigint
  /** Sorted by (blockNumber, logIndex). */
  readonly logs: readonly RecordedLog[]
  /** By lower-case hash. */
  readonly transactions: ReadonlyMap<string, RecordedTransaction>
}

const isHex = (v: unknown): v is string => typeof v === 'string' && /^0x[0-9a-fA-F]*$/.test(v)

function sortLogs(logs: readonly RecordedLog[]): RecordedLog[] {
  return [...logs].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex)
}

function checkLog(path: string, log: unknown, at: number): RecordedLog {
  const l = log as Partial<RecordedLog> | null
  if (l === null || typeof l !== 'object' || !Number.isInteger(l.blockNumber) || !Number.isInteger(l.logIndex) || !isHex(l.transactionHash) || !isHex(l.data) || !Array.isArray(l.topics) || !l.topics.every(isHex)) {
    throw new RunRecordInvalidError(path, `logs[${at}] is not a log (blockNumber, logIndex, transactionHash, topics, data)`)
  }
  return l as RecordedLog
}

function checkTransaction(path: string, tx: unknown, at: number): RecordedTransaction {
  const t = tx as Partial<RecordedTransaction> | null
  if (t === null || typeof t !== 'object' || !isHex(t.hash) || !isHex(t.input) || typeof t.from !== 'string' || !Number.isInteger(t.blockNumber)) {
    throw new RunRecordInvalidError(path, `transactions[${at}] is not a transaction (hash, blockNumber, from, input)`)
  }
  return t as RecordedTransaction
}

/**
 * Reads `<runDir>/chain/record.json`, the chain history a protocol simulation leaves behind.
 * @throws {RunRecordMissingError} when the file does not exist
 * @throws {RunRecordInvalidError} when it is not a version-1 chain record
 */
export async function loadRunRecord(runDir: string): Promise<ChainHistory> {
  const path = join(runDir, RUN_FILES.chainRecord)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ENOENT') throw new RunRecordMissingError(path, cause)
    throw new RunRecordInvalidError(path, (cause as Error).message, cause)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw new RunRecordInvalidError(path, 'not valid JSON', cause)
  }
  const record = value as Record<string, unknown> | null
  if (record === null || typeof record !== 'object') throw new RunRecordInvalidError(path, 'not a JSON object')
  if (record['version'] !== 1) throw new RunRecordInvalidError(path, `unknown version ${JSON.stringify(record['version'])}`)
  if (typeof record['aggregator'] !== 'string' || !Array.isArray(record['logs']) || !Array.isArray(record['transactions'])) {
    throw new RunRecordInvalidError(path, 'aggregator, logs or transactions missing')
  }
  let taskId: bigint | undefined
  try {
    taskId = record['taskId'] === undefined ? undefined : BigInt(record['taskId'] as string)
  } catch (cause) {
    throw new RunRecordInvalidError(path, `taskId ${JSON.stringify(record['taskId'])} is not an integer`, cause)
  }
  const logs = (record['logs'] as unknown[]).map((l, i) => checkLog(path, l, i))
  const transactions = (record['transactions'] as unknown[]).map((t, i) => checkTransaction(path, t, i))
  return {
    source: path,
    chainId: Number(record['chainId']),
    aggregator: record['aggregator'],
    ...(taskId === undefined ? {} : { taskId }),
    logs: sortLogs(logs),
    transactions: new Map(transactions.map((t) => [t.hash.toLowerCase(), t])),
  }
}

/** Options of {@link fetchChainHistory}. */
export interface FetchChainHistoryParameters {
  /** JSON-RPC endpoint. */
  readonly rpc: string
  /** Address of the aggregator contract. */
  readonly contract: string
  /** An already connected provider (e.g. an embedded chain's); by default one is connected to `rpc`. */
  readonly provider?: Provider
}

/**
 * Reads the aggregator's history from a live chain: every log since block 0 (`eth_getLogs`) and
 * the `share` transactions, whose input holds the commitments' salts (`eth_getTransactionByHash`).
 * @throws {RpcUnreachableError} when the endpoint does not answer
 */
export async function fetchChainHistory(parameters: FetchChainHistoryParameters): Promise<ChainHistory> {
  const provider = parameters.provider ?? (await connectRpc({ url: parameters.rpc }))
  const network = await provider.getNetwork()
  const raw = await provider.getLogs({ address: parameters.contract, fromBlock: 0, toBlock: 'latest' })
  const logs = sortLogs(raw.map((l) => ({ blockNumber: l.blockNumber, transactionHash: l.transactionHash, logIndex: l.index, topics: [...l.topics], data: l.data })))
  // Only share transactions carry something the logs lack (the commitment's salt).
  const shareTopic = aggregatorInterface.getEvent('UpdateShared')?.topicHash
  const hashes = [...new Set(logs.filter((l) => l.topics[0] === shareTopic).map((l) => l.transactionHash.toLowerCase()))]
  const transactions = new Map<string, RecordedTransaction>()
  for (let start = 0; start < hashes.length; start += TRANSACTION_BATCH) {
    const batch = await Promise.all(hashes.slice(start, start + TRANSACTION_BATCH).map((hash) => provider.getTransaction(hash)))
    for (const tx of batch) {
      if (tx !== null) transactions.set(tx.hash.toLowerCase(), { hash: tx.hash, blockNumber: tx.blockNumber ?? 0, from: tx.from, input: tx.data })
    }
  }
  return { source: parameters.rpc, chainId: Number(network.chainId), aggregator: parameters.contract, logs, transactions }
}
