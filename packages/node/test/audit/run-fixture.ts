import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { aggregatorInterface } from '@fedchain/aggregator-contract'
import { NextToLast } from 'blockstore-fs/sharding'
import { parseBlobCid } from '../../src/storage/index.js'
import { protocolCoordinator } from '../../src/simulate/protocol-coordinator.js'
import type { ChainRecord, RecordedLog } from '../../src/simulate/run-record.js'
import { runSimulation } from '../../src/simulate/run-simulation.js'
import { runBlobDirs } from '../../src/audit/run-inputs.js'

/** Runs a 3-hospital, 2-round protocol simulation into a temporary run directory (with summary.json, as the CLI writes it). */
export async function simulateRun(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'fedchain-audit-run-'))
  const options = { source: { example: 'breast-cancer' as const }, nodes: 3, rounds: 2, seed: 11 }
  const summary = await runSimulation({ options, coordinator: protocolCoordinator({ outDir }) })
  await writeFile(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`)
  return outDir
}

/** A private copy of a run directory, so each test can tamper with it. */
export async function copyRun(runDir: string): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'fedchain-audit-copy-'))
  await cp(runDir, copy, { recursive: true })
  return copy
}

export async function readRecord(runDir: string): Promise<ChainRecord> {
  return JSON.parse(await readFile(join(runDir, 'chain', 'record.json'), 'utf8')) as ChainRecord
}

export async function writeRecord(runDir: string, record: ChainRecord): Promise<void> {
  await writeFile(join(runDir, 'chain', 'record.json'), JSON.stringify(record))
}

/** Paths of every node store's copy of `cid`. */
export async function blobFiles(runDir: string, cid: string): Promise<string[]> {
  const { dir, file } = new NextToLast().encode(parseBlobCid(cid))
  const found: string[] = []
  for (const store of await runBlobDirs(runDir)) {
    const path = join(store, dir, file)
    if (await readFile(path).then(() => true, () => false)) found.push(path)
  }
  return found
}

/** Flips one byte in the middle of a file. */
export async function flipByte(path: string): Promise<void> {
  const bytes = await readFile(path)
  const at = Math.floor(bytes.length / 2)
  bytes[at] = (bytes[at] as number) ^ 0xff
  await writeFile(path, bytes)
}

/** The decoded arguments of a recorded log, by event name. */
export function decoded(log: RecordedLog): { name: string; args: Record<string, unknown> } | undefined {
  const parsed = aggregatorInterface.parseLog({ topics: [...log.topics], data: log.data })
  return parsed === null ? undefined : { name: parsed.name, args: parsed.args.toObject() as Record<string, unknown> }
}

/** Re-encodes a log with some of its arguments replaced. */
export function rewriteLog(log: RecordedLog, changes: Record<string, unknown>): RecordedLog {
  const parsed = aggregatorInterface.parseLog({ topics: [...log.topics], data: log.data })
  if (parsed === null) throw new Error('not an aggregator log')
  const values = parsed.fragment.inputs.map((input, i) => (input.name in changes ? changes[input.name] : parsed.args[i]))
  const { data, topics } = aggregatorInterface.encodeEventLog(parsed.fragment, values)
  return { ...log, data, topics }
}
