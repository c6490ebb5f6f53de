import { mkdtemp, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { aggregatorContractAbi } from '@fedchain/aggregator-contract'
import { Interface } from 'ethers'
import { describe, expect, it } from 'vitest'
import type { ChainRecord } from '../../src/simulate/run-record.js'
import { protocolCoordinator } from '../../src/simulate/protocol-coordinator.js'
import { runSimulation } from '../../src/simulate/run-simulation.js'

const COMMITTED_TOPIC = new Interface(aggregatorContractAbi).getEvent('UpdateCommitted')?.topicHash as string

describe('simulate with the full protocol', () => {
  it('finalizes every round on chain and computes the same model as the memory coordinator', async () => {
    const options = { source: { example: 'breast-cancer' as const }, nodes: 3, rounds: 2, seed: 7 }
    const outDir = await mkdtemp(join(tmpdir(), 'fedchain-protocol-'))
    const protocol = await runSimulation({ options, coordinator: protocolCoordinator({ outDir }) })
    const memory = await runSimulation({ options })

    expect(protocol.rounds).toHaveLength(2)
    for (const round of protocol.rounds) {
      expect(round.finalizeTx).toMatch(/^0x[0-9a-f]{64}$/)
      expect(round.gasUsed).toBeGreaterThan(0)
      expect(round.accepted).toHaveLength(3)
      expect(round.ms.commit).toBeGreaterThan(0)
      // The round's escrowed reward (1000 FED) is paid out in full: participants plus committee fee.
      const paid = Object.values(round.rewards ?? {}).reduce((sum, wei) => sum + BigInt(wei), 0n)
      expect(paid).toBe(1_000n * 10n ** 18n)
      for (const score of Object.values(round.reputation ?? {})) expect(score).toBeGreaterThan(0.5)
    }
    expect(protocol.final.modelCid).toMatch(/^bafkrei/)
    // The protocol coordinates; it must not change the maths.
    expect(protocol.final.modelSha256).toBe(memory.final.modelSha256)
    expect(protocol.rounds.map((r) => r.accuracy)).toEqual(memory.rounds.map((r) => r.accuracy))

    // What the run leaves for the auditor: the chain's record, the nodes' blobs and the auditor key.
    const record = JSON.parse(await readFile(join(outDir, 'chain', 'record.json'), 'utf8')) as ChainRecord
    expect(record.logs.length).toBeGreaterThan(10)
    expect(record.transactions.map((t) => t.hash)).toEqual(expect.arrayContaining(protocol.rounds.map((r) => r.finalizeTx)))
    expect((await stat(join(outDir, 'auditor.key'))).mode & 0o777).toBe(0o600)
    expect((await stat(join(outDir, 'nodes'))).isDirectory()).toBe(true)
  }, 120_000)

  it('rejects sign-flipped updates through the committee and still finalizes', async () => {
    const options = { source: { example: 'breast-cancer' as const }, nodes: 5, rounds: 2, seed: 3, malicious: { fraction: 0.4, attack: 'sign-flip' } }
    const summary = await runSimulation({ options, coordinator: protocolCoordinator() })
    const attackers = new Set(summary.nodes.filter((n) => n.malicious).map((n) => n.id))
    expect(attackers.size).toBe(2)
    for (const round of summary.rounds) {
      expect(round.finalizeTx).not.toBeNull()
      for (const id of attackers) expect(round.rejected).toContain(id)
      for (const id of round.accepted) expect(attackers.has(id)).toBe(false)
    }
  }, 120_000)

  it('draws a committee smaller than the consortium and still agrees on the memory coordinator\'s model', async () => {
    const options = { source: { example: 'breast-cancer' as const }, nodes: 9, rounds: 1, seed: 5 }
    const protocol = await runSimulation({ options, coordinator: protocolCoordinator({ committeeSize: 4 }) })
    const memory = await runSimulation({ options })
    expect(protocol.rounds[0]?.finalizeTx).toMatch(/^0x/)
    expect(protocol.rounds[0]?.accepted).toHaveLength(9)
    expect(protocol.final.modelSha256).toBe(memory.final.modelSha256)
  }, 120_000)

  it('resumes a node killed after committing: it shares from its data dir and the round finalizes', async () => {
    const options = { source: { example: 'breast-cancer' as const }, nodes: 3, rounds: 2, seed: 11 }
    const outDir = await mkdtemp(join(tmpdir(), 'fedchain-kill-'))
    const coordinator = protocolCoordinator({ outDir, kills: [{ node: 1, round: 1 }] })
    const protocol = await runSimulation({ options, coordinator })
    const memory = await runSimulation({ options })
    const victim = protocol.nodes[1]?.id as string

    expect(coordinator.faults).toEqual([{ round: 1, node: victim, killedAfter: 'commit', resumed: true }])
    expect(protocol.rounds[0]?.accepted).toContain(victim)
    expect(protocol.final.modelSha256).toBe(memory.final.modelSha256)
    // Exactly one commitment per node per round: the restart did not commit again.
    const record = JSON.parse(await readFile(join(outDir, 'chain', 'record.json'), 'utf8')) as ChainRecord
    const address = record.hospitals.find((h) => h.id === victim)?.address.toLowerCase() as string
    const commits = record.logs.filter((l) => l.topics[0] === COMMITTED_TOPIC && l.topics[3]?.endsWith(address.slice(2)))
    expect(commits).toHaveLength(2)
  }, 120_000)

  it('finalizes without a node that stays down (absent), and aborts then resumes when the committee loses its quorum', async () => {
    const few = protocolCoordinator({ kills: [{ node: 1, round: 1, down: true }] })
    const withoutOne = await runSimulation({ options: { source: { example: 'breast-cancer' as const }, nodes: 3, rounds: 2, seed: 4 }, coordinator: few })
    const absent = withoutOne.nodes[1]?.id as string
    expect(withoutOne.rounds[0]?.finalizeTx).toMatch(/^0x/)
    expect(withoutOne.rounds[0]?.accepted).not.toContain(absent)
    expect(withoutOne.rounds[0]?.accepted).toHaveLength(2)
    // The absent hospital lost reputation on chain and is back in the next round.
    expect(withoutOne.rounds[0]?.reputation?.[absent]).toBeLessThan(withoutOne.rounds[0]?.reputation?.[withoutOne.nodes[0]?.id as string] as number)
    expect(withoutOne.rounds[1]?.accepted).toContain(absent)
    expect(few.faults).toEqual([{ round: 1, node: absent, killedAfter: 'commit', resumed: false }])

    // Two of five committee members down: 3 verdicts < quorum 4, so round 1 is aborted at its
    // deadline and round 2 starts again from the initial model.
    const many = protocolCoordinator({ kills: [{ node: 0, round: 1, down: true }, { node: 1, round: 1, down: true }] })
    const aborted = await runSimulation({ options: { source: { example: 'breast-cancer' as const }, nodes: 5, rounds: 2, seed: 4 }, coordinator: many })
    expect(aborted.rounds[0]?.finalizeTx).toBeNull()
    expect(aborted.rounds[0]?.accepted).toEqual([])
    expect(aborted.rounds[1]?.finalizeTx).toMatch(/^0x/)
    expect(aborted.rounds[1]?.accepted).toHaveLength(5)
  }, 120_000)

  it('sends the same round with one transaction per hospital when relaying is off, at a higher gas cost', async () => {
    const options = { source: { example: 'breast-cancer' as const }, nodes: 3, rounds: 1, seed: 2 }
    const direct = await runSimulation({ options, coordinator: protocolCoordinator({ relay: false }) })
    const relayed = await runSimulation({ options, coordinator: protocolCoordinator() })
    expect(direct.final.modelSha256).toBe(relayed.final.modelSha256)
    expect(direct.rounds[0]?.finalizeTx).toMatch(/^0x/)
    expect(direct.rounds[0]?.gasUsed).toBeGreaterThan(relayed.rounds[0]?.gasUsed as number)
  }, 120_000)
})
