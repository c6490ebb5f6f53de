#!/usr/bin/env node
// Reads the chain's round events for a task and prints, per round, who committed, shared and how
// the round ended, and whether any hospital committed more than once in a round.
// Usage: node check-commitments.mjs <chain.json> [task id]
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(fileURLToPath(new URL('../../packages/node/package.json', import.meta.url)))
const { JsonRpcProvider, Interface, id } = require('ethers')

const [chainPath, taskText = '1'] = process.argv.slice(2)
if (!chainPath) {
  process.stderr.write('usage: node check-commitments.mjs <chain.json> [task id]\n')
  process.exit(2)
}
const chain = JSON.parse(readFileSync(chainPath, 'utf8'))
const provider = new JsonRpcProvider(chain.rpc, chain.chainId, { staticNetwork: true })
const abi = new Interface([
  'event UpdateCommitted(uint256 indexed taskId, uint32 indexed round, address indexed hospital, bytes32 commitment)',
  'event UpdateShared(uint256 indexed taskId, uint32 indexed round, address indexed hospital, bytes32 updateHash, uint64 sampleCount, uint256 epsilonSpent, string updateCid)',
  'event RoundAborted(uint256 indexed taskId, uint32 indexed round)',
])
const finalizedTopic = id('RoundFinalized(uint256,uint32,bytes32,uint256,uint256,uint256,uint256,uint256,uint256)')
const taskTopic = `0x${BigInt(taskText).toString(16).padStart(64, '0')}`
const logs = await provider.getLogs({ address: chain.aggregator, fromBlock: 0, toBlock: 'latest', topics: [null, taskTopic] })
const rounds = new Map()
const entry = (round) => rounds.get(round) ?? rounds.set(round, { committed: [], shared: [], outcome: 'open' }).get(round)
for (const log of logs) {
  const round = Number(BigInt(log.topics[2] ?? '0x0'))
  if (log.topics[0] === finalizedTopic) {
    entry(round).outcome = 'finalized'
    continue
  }
  const parsed = abi.parseLog(log)
  if (parsed?.name === 'UpdateCommitted') entry(round).committed.push(parsed.args.hospital)
  if (parsed?.name === 'UpdateShared') entry(round).shared.push(parsed.args.hospital)
  if (parsed?.name === 'RoundAborted') entry(round).outcome = 'aborted'
}
let duplicates = 0
for (const [round, r] of [...rounds.entries()].sort((a, b) => a[0] - b[0])) {
  const dup = r.committed.length - new Set(r.committed).size
  duplicates += dup
  process.stdout.write(`round ${round}: ${r.outcome}, ${r.committed.length} commitments, ${r.shared.length} shares, ${dup} duplicate commitments\n`)
}
process.stdout.write(duplicates === 0 ? 'no hospital committed twice in a round\n' : `${duplicates} duplicate commitments\n`)
provider.destroy()
