// Gas of whole rounds on the embedded chain for 5, 10, 20 and 50 participants.
//
// For each N: a fresh chain, N admitted hospitals, one task with a committee of 7 (everyone when
// N ≤ 7). Round 1 warms up storage (first writes of reused slots cost 22.1k instead of 2.9–5k);
// the figures are from round 2 — the steady state every later round repeats — where all N commit,
// all N share, all committee members submit the same verdict (all accepted), and anyone finalizes.
//
// Prints a table, then as its last line one JSON object, and saves it to bench/results/gas.json at
// the repository root. Run: pnpm --silent bench:gas (after pnpm build).
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { hexlify, keccak256, toUtf8Bytes } from 'ethers'
import type { Contract, ContractTransactionResponse, JsonRpcSigner } from 'ethers'
import {
  computeCommitment,
  deployConsortium,
  encodeHospitalProfile,
  encodeQualityScores,
  indicesOf,
} from '@fedchain/aggregator-contract'
import { startEmbeddedChain } from '@fedchain/aggregator-contract/embedded'

const PARTICIPANTS = [5, 10, 20, 50]
const COMMITTEE_SIZE = 7
const TOKEN = 10n ** 18n
// A CIDv1 (base32, sha256) has 59 characters.
const UPDATE_CID = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'
const MODEL_CID = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
const PHASE_SECONDS = 1000

interface RoundGas {
  open: bigint
  commit: bigint[]
  share: bigint[]
  submit: bigint[]
  finalize: bigint
}

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait()
  if (receipt === null) throw new Error('transaction without receipt')
  return receipt.gasUsed
}

async function measure(n: number): Promise<RoundGas> {
  const chain = await startEmbeddedChain({ accounts: n + 1 })
  try {
    const [governance] = chain.signers as [JsonRpcSigner]
    const hospitals = chain.signers.slice(1, n + 1)
    const { token, aggregator } = await deployConsortium(governance, { minStake: 100n * TOKEN, exitDelay: 3600n })
    const address = await aggregator.getAddress()
    const fn = (c: Contract, signer: JsonRpcSigner, name: string) => (c.connect(signer) as Contract).getFunction(name)
    await gasOf(token.getFunction('approve')(address, 2n ** 255n))
    for (const [i, h] of hospitals.entries()) {
      await gasOf(token.getFunction('mint')(h.address, 1000n * TOKEN))
      await gasOf(fn(token, h, 'approve')(address, 2n ** 255n))
      const profile = encodeHospitalProfile({ peerId: `12D3KooW${i}`, encryptionKey: hexlify(randomBytes(32)), multiaddrs: [`/ip4/127.0.0.1/tcp/${4000 + i}`] })
      await gasOf(fn(aggregator, h, 'applyForMembership')(profile, 100n * TOKEN))
      await gasOf(aggregator.getFunction('admitHospital')(h.address))
    }
    await gasOf(token.getFunction('mint')(governance.address, 1_000_000n * TOKEN))
    await gasOf(
      aggregator.getFunction('createTask')({
        modelSpecCid: MODEL_CID,
        modelSpecSha256: keccak256(toUtf8Bytes('spec')),
        dataSchemaHash: keccak256(toUtf8Bytes('schema')),
        rounds: 3,
        commitDuration: PHASE_SECONDS,
        shareDuration: PHASE_SECONDS,
        verifyDuration: PHASE_SECONDS,
        committeeSize: COMMITTEE_SIZE,
        minParticipants: 1,
        dpEpsilon: 3n * TOKEN,
        dpDelta: 10n ** 13n,
        rewardPerRound: 1000n * TOKEN,
        committeeFeeBps: 1000,
        slashAmount: 0n,
      }),
    )
    const taskId = 1n
    let last: RoundGas | undefined
    for (let r = 1n; r <= 2n; r++) {
      const gas: RoundGas = { open: 0n, commit: [], share: [], submit: [], finalize: 0n }
      gas.open = await gasOf(aggregator.getFunction('openRound')(taskId))
      const openings = hospitals.map(() => ({ updateHash: hexlify(randomBytes(32)), sampleCount: 600n, salt: hexlify(randomBytes(32)) }))
      for (const [i, h] of hospitals.entries()) {
        const commitment = computeCommitment({ ...openings[i]!, hospital: h.address, taskId, round: r })
        gas.commit.push(await gasOf(fn(aggregator, h, 'commit')(taskId, r, commitment)))
      }
      await chain.increaseTime(PHASE_SECONDS + 1)
      for (const [i, h] of hospitals.entries()) {
        const o = openings[i]!
        gas.share.push(await gasOf(fn(aggregator, h, 'share')(taskId, r, o.updateHash, o.sampleCount, o.salt, 2n * TOKEN, UPDATE_CID)))
      }
      await chain.increaseTime(PHASE_SECONDS + 1)
      const [, , committee] = (await aggregator.getFunction('roundState')(taskId)) as bigint[]
      const accepted = (1n << BigInt(n)) - 1n
      const qualities = encodeQualityScores(hospitals.map((_, i) => 7000 + ((i * 137) % 3000)))
      const model = keccak256(toUtf8Bytes(`model ${r}`))
      for (const index of indicesOf(committee!)) {
        gas.submit.push(await gasOf(fn(aggregator, hospitals[index]!, 'submitVerdict')(taskId, r, accepted, model, MODEL_CID, qualities)))
      }
      gas.finalize = await gasOf(aggregator.getFunction('finalize')(taskId, r))
      last = gas
    }
    return last!
  } finally {
    await chain.stop()
  }
}

const sum = (values: bigint[]): bigint => values.reduce((a, b) => a + b, 0n)
const avg = (values: bigint[]): number => Math.round(Number(sum(values)) / values.length)

interface Row {
  participants: number
  committee: number
  perParticipantRoundGas: number
  perParticipantWithOpen: number
  commitGas: number
  shareGas: number
  submitGas: number
  finalizeGas: number
  openRoundGas: number
}
const rows: Row[] = []
for (const n of PARTICIPANTS) {
  const gas = await measure(n)
  const round = sum(gas.commit) + sum(gas.share) + sum(gas.submit) + gas.finalize
  rows.push({
    participants: n,
    committee: gas.submit.length,
    perParticipantRoundGas: Math.round(Number(round) / n),
    perParticipantWithOpen: Math.round(Number(round + gas.open) / n),
    commitGas: avg(gas.commit),
    shareGas: avg(gas.share),
    submitGas: avg(gas.submit),
    finalizeGas: Number(gas.finalize),
    openRoundGas: Number(gas.open),
  })
}
const columns = Object.keys(rows[0]!) as (keyof Row)[]
const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)))
const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ') + '\n'
process.stdout.write(line(columns))
for (const row of rows) process.stdout.write(line(columns.map((c) => String(row[c]))))
const finalizeMarginal = rows.slice(1).map((row, i) => {
  const prev = rows[i]!
  return Math.round((row.finalizeGas - prev.finalizeGas) / (row.participants - prev.participants))
})
const result = {
  participants: rows.map((r) => r.participants),
  perParticipantRoundGas: rows.map((r) => r.perParticipantRoundGas),
  finalizeGas: rows.map((r) => r.finalizeGas),
  commitGas: rows.map((r) => r.commitGas),
  submitGas: rows.map((r) => r.submitGas),
  shareGas: rows.map((r) => r.shareGas),
  openRoundGas: rows.map((r) => r.openRoundGas),
  committeeSize: rows.map((r) => r.committee),
  finalizeMarginalGasPerParticipant: finalizeMarginal,
  round: 'steady state (round 2)',
}
const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'results', 'gas.json')
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, JSON.stringify(result, null, 2) + '\n')
process.stdout.write(JSON.stringify(result) + '\n')
