// Gas of whole rounds on the embedded chain for 5, 10, 20 and 50 participants, on both paths:
//
// - single: every hospital sends its own commit() and share() transaction;
// - batched: every hospital signs its commit and its share (EIP-712, signCommit/signShare) and one
//   relayer (here hospital 0) sends all of them in one commitBatch() and one shareBatch().
//
// For each N: a fresh chain, N admitted hospitals, one task with a committee of 7 (everyone when
// N ≤ 7). Round 1 warms up storage (first writes of reused slots cost 22.1k instead of 2.9–5k);
// rounds 2 (single path) and 3 (batched path) are measured — the steady state every later round
// repeats — where all N commit, all N share, all committee members submit the same verdict (all
// accepted), and anyone finalizes.
//
// Prints a table per path, then as its last line one JSON object whose issue keys
// (perParticipantRoundGas, finalizeGas, commitGas, submitGas) are the batched path's, with the
// single path's figures under single*-prefixed keys; saves it to bench/results/gas.json at the
// repository root. Run: pnpm --silent bench:gas (after pnpm build).
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
  signCommit,
  signShare,
} from '@fedchain/aggregator-contract'
import { startEmbeddedChain } from '@fedchain/aggregator-contract/embedded'

const PARTICIPANTS = [5, 10, 20, 50]
const COMMITTEE_SIZE = 7
const TOKEN = 10n ** 18n
// A CIDv1 (base32, sha256) has 59 characters.
const UPDATE_CID = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'
const MODEL_CID = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
const PHASE_SECONDS = 1000

type Path = 'single' | 'batched'

interface RoundGas {
  open: bigint
  /** Single path: one entry per hospital; batched path: the one commitBatch transaction. */
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

async function measure(n: number): Promise<Record<Path, RoundGas>> {
  const chain = await startEmbeddedChain({ accounts: n + 1 })
  try {
    const [governance] = chain.signers as [JsonRpcSigner]
    const hospitals = chain.signers.slice(1, n + 1)
    const { token, aggregator } = await deployConsortium(governance, { minStake: 100n * TOKEN, exitDelay: 3600n })
    const address = await aggregator.getAddress()
    const chainId = BigInt(chain.chainId)
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
        rounds: 4,
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
    const measured: Partial<Record<Path, RoundGas>> = {}
    // Round 1 warms the reused slots, round 2 measures the single path, round 3 the batched one.
    const paths: Path[] = ['single', 'single', 'batched']
    for (const [step, path] of paths.entries()) {
      const r = BigInt(step + 1)
      const gas: RoundGas = { open: 0n, commit: [], share: [], submit: [], finalize: 0n }
      gas.open = await gasOf(aggregator.getFunction('openRound')(taskId))
      const openings = hospitals.map(() => ({ updateHash: hexlify(randomBytes(32)), sampleCount: 600n, salt: hexlify(randomBytes(32)) }))
      const commitments = hospitals.map((h, i) => computeCommitment({ ...openings[i]!, hospital: h.address, taskId, round: r }))
      if (path === 'single') {
        for (const [i, h] of hospitals.entries()) gas.commit.push(await gasOf(fn(aggregator, h, 'commit')(taskId, r, commitments[i])))
      } else {
        const entries = []
        for (const [i, h] of hospitals.entries()) {
          entries.push(await signCommit({ signer: h, aggregator: address, chainId, taskId, round: r, commitment: commitments[i]! }))
        }
        gas.commit.push(await gasOf(fn(aggregator, hospitals[0]!, 'commitBatch')(taskId, r, entries)))
      }
      await chain.increaseTime(PHASE_SECONDS + 1)
      if (path === 'single') {
        for (const [i, h] of hospitals.entries()) {
          const o = openings[i]!
          gas.share.push(await gasOf(fn(aggregator, h, 'share')(taskId, r, o.updateHash, o.sampleCount, o.salt, 2n * TOKEN, UPDATE_CID)))
        }
      } else {
        const entries = []
        for (const [i, h] of hospitals.entries()) {
          const o = openings[i]!
          entries.push(await signShare({ signer: h, aggregator: address, chainId, taskId, round: r, ...o, epsilonSpent: 2n * TOKEN, updateCid: UPDATE_CID }))
        }
        gas.share.push(await gasOf(fn(aggregator, hospitals[0]!, 'shareBatch')(taskId, r, entries)))
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
      if (step > 0) measured[path] = gas
    }
    return measured as Record<Path, RoundGas>
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
  /** Per hospital: its commit() transaction, or its share of the commitBatch() transaction. */
  commitGas: number
  shareGas: number
  submitGas: number
  finalizeGas: number
  openRoundGas: number
}

function rowOf(n: number, gas: RoundGas): Row {
  const round = sum(gas.commit) + sum(gas.share) + sum(gas.submit) + gas.finalize
  return {
    participants: n,
    committee: gas.submit.length,
    perParticipantRoundGas: Math.round(Number(round) / n),
    perParticipantWithOpen: Math.round(Number(round + gas.open) / n),
    commitGas: Math.round(Number(sum(gas.commit)) / n),
    shareGas: Math.round(Number(sum(gas.share)) / n),
    submitGas: avg(gas.submit),
    finalizeGas: Number(gas.finalize),
    openRoundGas: Number(gas.open),
  }
}

function printTable(title: string, rows: Row[]): void {
  const columns = Object.keys(rows[0]!) as (keyof Row)[]
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)))
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ') + '\n'
  process.stdout.write(`${title}\n`)
  process.stdout.write(line(columns))
  for (const row of rows) process.stdout.write(line(columns.map((c) => String(row[c]))))
}

const single: Row[] = []
const batched: Row[] = []
const batchTx: { commit: number; share: number }[] = []
for (const n of PARTICIPANTS) {
  const gas = await measure(n)
  single.push(rowOf(n, gas.single))
  batched.push(rowOf(n, gas.batched))
  batchTx.push({ commit: Number(gas.batched.commit[0]), share: Number(gas.batched.share[0]) })
}
printTable('single path (each hospital sends commit() and share())', single)
printTable('batched path (one relayer sends commitBatch() and shareBatch() for everyone)', batched)
const finalizeMarginal = batched.slice(1).map((row, i) => {
  const prev = batched[i]!
  return Math.round((row.finalizeGas - prev.finalizeGas) / (row.participants - prev.participants))
})
const result = {
  participants: batched.map((r) => r.participants),
  perParticipantRoundGas: batched.map((r) => r.perParticipantRoundGas),
  finalizeGas: batched.map((r) => r.finalizeGas),
  commitGas: batched.map((r) => r.commitGas),
  submitGas: batched.map((r) => r.submitGas),
  shareGas: batched.map((r) => r.shareGas),
  commitBatchGas: batchTx.map((b) => b.commit),
  shareBatchGas: batchTx.map((b) => b.share),
  openRoundGas: batched.map((r) => r.openRoundGas),
  committeeSize: batched.map((r) => r.committee),
  finalizeMarginalGasPerParticipant: finalizeMarginal,
  singlePathPerParticipantRoundGas: single.map((r) => r.perParticipantRoundGas),
  singlePathCommitGas: single.map((r) => r.commitGas),
  singlePathShareGas: single.map((r) => r.shareGas),
  singlePathSubmitGas: single.map((r) => r.submitGas),
  singlePathFinalizeGas: single.map((r) => r.finalizeGas),
  path: 'batched (commitBatch + shareBatch by one relayer); single-path figures under singlePath*',
  round: 'steady state (single path: round 2, batched path: round 3)',
}
const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'results', 'gas.json')
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, JSON.stringify(result, null, 2) + '\n')
process.stdout.write(JSON.stringify(result) + '\n')
