import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NextToLast } from 'blockstore-fs/sharding'
import { bitmapOf, connectFedToken, DEFAULT_TASK_TIMING, deployConsortium, encodeQualityScores, WAD, computeCommitment } from '@fedchain/aggregator-contract'
import { serveEmbeddedChain, type ServedEmbeddedChain } from '@fedchain/aggregator-contract/embedded'
import { buildNetwork } from '../../src/learning/model/network.js'
import { serializeParams } from '../../src/learning/model/serialize.js'
import { createAggregatorClient, type AggregatorClient } from '../../src/protocol/aggregator-client.js'
import { sha256Hex } from '../../src/protocol/participant.js'
import { cidForBytes } from '../../src/storage/index.js'

const STAKE = 100n * WAD
const hex32 = () => `0x${randomBytes(32).toString('hex')}`

/** A served embedded chain on which four hospitals ran two rounds with rejections, an absence, a dissent and a claim. */
export interface LiveConsortium {
  readonly served: ServedEmbeddedChain
  readonly aggregatorAddress: string
  readonly hospitals: readonly AggregatorClient[]
  readonly taskId: bigint
  /** Salts used in each `share`, by `${round}:${address}`. */
  readonly salts: ReadonlyMap<string, string>
  /** A blob store directory holding the model blob each quorum agreed on. */
  readonly blobDir: string
}

/** Stores a random logistic-regression model in a filesystem blob store; returns its sha256 and CID. */
async function storeModel(blobDir: string): Promise<{ sha256: string; cid: string }> {
  const network = buildNetwork({ kind: 'logistic-regression', inputs: 3, classes: 2 })
  const bytes = serializeParams(network, Float32Array.from({ length: network.numParams }, () => Math.random() - 0.5))
  const cid = await cidForBytes(bytes)
  const { dir, file } = new NextToLast().encode(cid)
  await mkdir(join(blobDir, dir), { recursive: true })
  await writeFile(join(blobDir, dir, file), bytes)
  return { sha256: sha256Hex(bytes), cid: cid.toString() }
}

/**
 * Round 1: all four share; three members accept {0, 1, 2} with unequal quality scores, the fourth
 * dissents. Round 2: the committee splits two against two, no quorum, and the round is aborted
 * after its verify deadline. Round 3: hospital 3 commits but does not share (absent); everyone
 * agrees on {0, 1}, 2 is rejected. Hospital 0 then claims its rewards.
 */
export async function runLiveConsortium(): Promise<LiveConsortium> {
  const served = await serveEmbeddedChain({ port: 0, accounts: 5 })
  const [ownerSigner, ...signers] = served.chain.signers
  if (ownerSigner === undefined) throw new Error('no accounts')
  const { token, tokenAddress, aggregatorAddress } = await deployConsortium(ownerSigner, { minStake: STAKE })
  const owner = await createAggregatorClient({ address: aggregatorAddress, signer: ownerSigner })
  const hospitals: AggregatorClient[] = []
  for (const signer of signers) {
    const address = await signer.getAddress()
    await (await token.getFunction('mint')(address, STAKE)).wait()
    await (await connectFedToken(tokenAddress, signer).getFunction('approve')(aggregatorAddress, STAKE)).wait()
    const client = await createAggregatorClient({ address: aggregatorAddress, signer })
    await client.applyForMembership(`peer-${hospitals.length}`, randomBytes(32), [], STAKE)
    await owner.admitHospital(address)
    hospitals.push(client)
  }
  const reward = 1_000n * WAD
  await (await token.getFunction('mint')(await ownerSigner.getAddress(), reward * 2n)).wait()
  await (await token.getFunction('approve')(aggregatorAddress, reward * 2n)).wait()
  const { taskId } = await owner.createTask({
    modelSpecCid: 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku',
    modelSpecSha256: hex32(),
    dataSchemaHash: hex32(),
    rounds: 2,
    ...DEFAULT_TASK_TIMING,
    dpEpsilon: 0n,
    dpDelta: 0n,
    rewardPerRound: reward,
  })
  const salts = new Map<string, string>()
  const blobDir = await mkdtemp(join(tmpdir(), 'fedchain-live-blobs-'))

  async function playRound(parameters: { sharers: number[]; committers: readonly number[]; verdicts: { member: number; accepted: number[]; scores: number[]; agree: boolean }[]; abort?: boolean }) {
    const { event } = await owner.openRound(taskId)
    const round = event.round
    const updates = new Map<number, { updateHash: string; sampleCount: bigint; salt: string }>()
    for (const i of parameters.committers) {
      const h = hospitals[i] as AggregatorClient
      const update = { updateHash: hex32(), sampleCount: BigInt(100 + i), salt: hex32() }
      updates.set(i, update)
      await h.commit(taskId, round, computeCommitment({ ...update, hospital: h.address, taskId, round: BigInt(round) }))
    }
    for (const i of parameters.sharers) {
      const h = hospitals[i] as AggregatorClient
      const u = updates.get(i) as { updateHash: string; sampleCount: bigint; salt: string }
      await h.share({ taskId, round, ...u, epsilonSpentWad: BigInt(round) * (WAD / 2n) + BigInt(i), updateCid: `bafkrei-update-${round}-${i}` })
      salts.set(`${round}:${h.address.toLowerCase()}`, u.salt)
    }
    if (parameters.sharers.length < parameters.committers.length) await served.chain.increaseTime(DEFAULT_TASK_TIMING.commitDuration + DEFAULT_TASK_TIMING.shareDuration + 1)
    const model = await storeModel(blobDir)
    for (const v of parameters.verdicts) {
      await (hospitals[v.member] as AggregatorClient).submitVerdict({
        taskId,
        round,
        acceptedBitmap: bitmapOf(v.accepted),
        modelSha256: v.agree ? model.sha256 : hex32(),
        modelCid: v.agree ? model.cid : `bafkrei-model-${round}`,
        qualityScores: encodeQualityScores(v.scores),
      })
    }
    if (parameters.abort === true) {
      await served.chain.increaseTime(DEFAULT_TASK_TIMING.commitDuration + DEFAULT_TASK_TIMING.shareDuration + DEFAULT_TASK_TIMING.verifyDuration + 1)
      await owner.abortRound(taskId, round)
    } else {
      await owner.finalize(taskId, round)
    }
  }

  await playRound({
    committers: [0, 1, 2, 3],
    sharers: [0, 1, 2, 3],
    verdicts: [
      { member: 0, accepted: [0, 1, 2], scores: [9000, 5000, 10000], agree: true },
      { member: 1, accepted: [0, 1, 2], scores: [9000, 5000, 10000], agree: true },
      { member: 2, accepted: [0, 1, 2], scores: [9000, 5000, 10000], agree: true },
      { member: 3, accepted: [0, 1, 2, 3], scores: [1, 2, 3, 4], agree: false },
    ],
  })
  await playRound({
    committers: [0, 1, 2, 3],
    sharers: [0, 1, 2, 3],
    verdicts: [
      { member: 0, accepted: [0, 1], scores: [10000, 10000], agree: true },
      { member: 1, accepted: [0, 1], scores: [10000, 10000], agree: true },
      { member: 2, accepted: [2, 3], scores: [10000, 10000], agree: false },
      { member: 3, accepted: [2, 3], scores: [10000, 10000], agree: false },
    ],
    abort: true,
  })
  await playRound({
    committers: [0, 1, 2, 3],
    sharers: [0, 1, 2],
    verdicts: [0, 1, 2, 3].map((member) => ({ member, accepted: [0, 1], scores: [10000, 3000], agree: true })),
  })
  await (await (hospitals[0] as AggregatorClient).contract.getFunction('claim')()).wait()
  return { served, aggregatorAddress, hospitals, taskId, salts, blobDir }
}
