import { ZeroAddress, ZeroHash, keccak256, toUtf8Bytes } from 'ethers'
import type { JsonRpcSigner, Log, TransactionReceipt } from 'ethers'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  EIP712_DOMAIN_NAME,
  EIP712_DOMAIN_VERSION,
  EMBEDDED_CHAIN_ID,
  bitmapOf,
  computeCommitment,
  decodeContractError,
  signCommit,
  signShare,
  type SignedCommit,
  type SignedShare,
} from '../src/index.js'
import {
  TOKEN,
  as,
  commit,
  createTask,
  expectRevert,
  finalize,
  openRound,
  randomOpening,
  roundState,
  send,
  share,
  submit,
  useConsortium,
  type Opening,
} from './fixtures/consortium.js'

const UPDATE_CID = 'bafybeigdyrztcidofanencryptedupdatecidexample0000000000000001'
const MODEL = keccak256(toUtf8Bytes('aggregate'))

describe('relayed batches: commitBatch and shareBatch (5 hospitals, 2 outsiders)', () => {
  const c = useConsortium({ hospitals: 5, outsiders: 2 }, { isolated: true })
  let aggregator: string
  beforeAll(async () => {
    aggregator = await c.aggregator.getAddress()
  })

  async function newRound(): Promise<{ taskId: bigint; round: bigint }> {
    const taskId = await createTask(c)
    return { taskId, round: await openRound(c, taskId) }
  }

  function signedCommit(signer: JsonRpcSigner, taskId: bigint, round: bigint, opening: Opening): Promise<SignedCommit> {
    const commitment = computeCommitment({ ...opening, hospital: signer.address, taskId, round })
    return signCommit({ signer, aggregator, taskId, round, commitment })
  }

  function signedShare(signer: JsonRpcSigner, taskId: bigint, round: bigint, opening: Opening): Promise<SignedShare> {
    return signShare({ signer, aggregator, taskId, round, ...opening, epsilonSpent: TOKEN, updateCid: UPDATE_CID })
  }

  /** Relays a batch from the first outsider: anyone may submit one. */
  function relay(name: 'commitBatch' | 'shareBatch', taskId: bigint, round: bigint, entries: unknown[]) {
    return as(c.aggregator, c.outsiders[0]!).getFunction(name)(taskId, round, entries)
  }

  /** The entry error inside AggregatorBatchEntryRejected, with the rejected index. */
  async function expectEntryRejected(action: Promise<unknown>, index: number, name: string) {
    let caught: unknown
    try {
      await action
    } catch (error) {
      caught = error
    }
    const decoded = decodeContractError(caught)
    expect(decoded?.errorName, String(caught).slice(0, 300)).toBe('AggregatorBatchEntryRejected')
    expect(decoded!.args['index']).toBe(BigInt(index))
    expect(decoded!.entryError?.errorName).toBe(name)
    return decoded!.entryError!.args
  }

  /** Every event of a receipt as (name, args) in order. */
  function eventsOf(receipt: TransactionReceipt): { name: string; args: unknown[] }[] {
    return receipt.logs.map((log: Log) => {
      const parsed = c.aggregator.interface.parseLog(log)
      return { name: parsed!.name, args: [...parsed!.args] }
    })
  }

  it('records every entry of a relayed batch, then a relayed share batch, and the round finalizes', async () => {
    const { taskId, round } = await newRound()
    const openings = c.hospitals.map(() => randomOpening())
    const commits = await Promise.all(c.hospitals.map((h, i) => signedCommit(h, taskId, round, openings[i]!)))
    await send(relay('commitBatch', taskId, round, commits))
    expect((await roundState(c, taskId)).committed).toBe(bitmapOf([0, 1, 2, 3, 4]))

    // Everyone committed, so shares open before the commit deadline, as with single commits.
    const shares = await Promise.all(c.hospitals.map((h, i) => signedShare(h, taskId, round, openings[i]!)))
    await send(relay('shareBatch', taskId, round, shares))
    expect((await roundState(c, taskId)).shared).toBe(bitmapOf([0, 1, 2, 3, 4]))

    for (const h of c.hospitals.slice(0, 4)) await submit(c, h, taskId, round, bitmapOf([0, 1, 2, 3, 4]), MODEL)
    await finalize(c, taskId, round)
    expect((await c.aggregator.getFunction('claimable')(c.hospitals[0]!.address)) as bigint).toBeGreaterThan(0n)
  })

  it('emits exactly the events of the single-transaction path (same names, fields and values)', async () => {
    const { taskId, round } = await newRound()
    const openings = c.hospitals.map(() => randomOpening())
    const single = await commit(c, c.hospitals[0]!, taskId, round, openings[0]!)
    const entries = await Promise.all(c.hospitals.slice(1).map((h, i) => signedCommit(h, taskId, round, openings[i + 1]!)))
    const batch = await send(relay('commitBatch', taskId, round, entries))
    const expectedCommit = (h: JsonRpcSigner, o: Opening) => ({
      name: 'UpdateCommitted',
      args: [taskId, round, h.address, computeCommitment({ ...o, hospital: h.address, taskId, round })],
    })
    expect(eventsOf(single.receipt)).toEqual([expectedCommit(c.hospitals[0]!, openings[0]!)])
    expect(eventsOf(batch)).toEqual(c.hospitals.slice(1).map((h, i) => expectedCommit(h, openings[i + 1]!)))
    // Same topics layout (event id + 3 indexed fields) and data length as the single path.
    expect(batch.logs.map((l) => [l.topics.length, l.data.length])).toEqual(
      batch.logs.map(() => [single.receipt.logs[0]!.topics.length, single.receipt.logs[0]!.data.length]),
    )

    const singleShare = await share(c, c.hospitals[0]!, taskId, round, openings[0]!)
    const shareEntries = await Promise.all(c.hospitals.slice(1).map((h, i) => signedShare(h, taskId, round, openings[i + 1]!)))
    const batchShare = await send(relay('shareBatch', taskId, round, shareEntries))
    const expectedShare = (h: JsonRpcSigner, o: Opening) => ({
      name: 'UpdateShared',
      args: [taskId, round, h.address, o.updateHash, o.sampleCount, TOKEN, UPDATE_CID],
    })
    expect(eventsOf(singleShare)).toEqual([expectedShare(c.hospitals[0]!, openings[0]!)])
    expect(eventsOf(batchShare)).toEqual(c.hospitals.slice(1).map((h, i) => expectedShare(h, openings[i + 1]!)))
  })

  it('rejects a forged or tampered signature and records nothing of the batch', async () => {
    const { taskId, round } = await newRound()
    const [h0, h1, h2] = c.hospitals as [JsonRpcSigner, JsonRpcSigner, JsonRpcSigner]
    const good = await signedCommit(h0, taskId, round, randomOpening())
    // h2's commitment signed by h1: the entry claims h2, the signature recovers h1.
    const byOther = await signedCommit(h1, taskId, round, randomOpening())
    const forged = { ...byOther, hospital: h2.address }
    const args = await expectEntryRejected(relay('commitBatch', taskId, round, [good, forged]), 1, 'AggregatorInvalidSignature')
    expect(args).toEqual({ hospital: h2.address, signer: h1.address })
    expect((await roundState(c, taskId)).committed).toBe(0n)

    // A valid signature over a different commitment.
    const tampered = { ...good, commitment: keccak256(toUtf8Bytes('other')) }
    await expectEntryRejected(relay('commitBatch', taskId, round, [tampered]), 0, 'AggregatorInvalidSignature')
    // Garbage that recovers no address at all.
    const garbage = { ...good, r: ZeroHash, vs: ZeroHash }
    const none = await expectEntryRejected(relay('commitBatch', taskId, round, [garbage]), 0, 'AggregatorInvalidSignature')
    expect(none['signer']).toBe(ZeroAddress)

    // A share whose CID was swapped after signing.
    const opening = randomOpening()
    for (const h of c.hospitals) await commit(c, h, taskId, round, h === h0 ? opening : randomOpening())
    const signed = await signedShare(h0, taskId, round, opening)
    const swapped = { ...signed, updateCid: 'bafybeiattackerchosencid' }
    await expectEntryRejected(relay('shareBatch', taskId, round, [swapped]), 0, 'AggregatorInvalidSignature')
    const otherEpsilon = { ...signed, epsilonSpent: 0n }
    await expectEntryRejected(relay('shareBatch', taskId, round, [otherEpsilon]), 0, 'AggregatorInvalidSignature')
    await send(relay('shareBatch', taskId, round, [signed]))
  })

  it('rejects a signature replayed into another round, task, contract or chain', async () => {
    const first = await newRound()
    const h = c.hospitals[0]!
    const opening = randomOpening()
    const commitment = computeCommitment({ ...opening, hospital: h.address, taskId: first.taskId, round: first.round })
    const entry = await signCommit({ signer: h, aggregator, taskId: first.taskId, round: first.round, commitment })

    // Another task, same round number.
    const second = await newRound()
    expect(second.round).toBe(first.round)
    await expectEntryRejected(relay('commitBatch', second.taskId, second.round, [entry]), 0, 'AggregatorInvalidSignature')

    // The next round of the same task.
    await c.chain.increaseTime(101)
    await send(c.aggregator.getFunction('abortRound')(first.taskId, first.round))
    const next = await openRound(c, first.taskId)
    await expectEntryRejected(relay('commitBatch', first.taskId, next, [entry]), 0, 'AggregatorInvalidSignature')

    // Signed for another contract (here: the token's address) or another chain.
    const args = { signer: h, taskId: first.taskId, round: next, commitment }
    const otherContract = await signCommit({ ...args, aggregator: await c.token.getAddress() })
    await expectEntryRejected(relay('commitBatch', first.taskId, next, [otherContract]), 0, 'AggregatorInvalidSignature')
    const otherChain = await signCommit({ ...args, aggregator, chainId: 1n })
    await expectEntryRejected(relay('commitBatch', first.taskId, next, [otherChain]), 0, 'AggregatorInvalidSignature')
    await send(relay('commitBatch', first.taskId, next, [await signCommit({ ...args, aggregator })]))
  })

  it('checks each entry as the single path checks its sender: outsiders, duplicates, mixing with single calls', async () => {
    const { taskId, round } = await newRound()
    const [h0, h1, h2, h3] = c.hospitals as [JsonRpcSigner, JsonRpcSigner, JsonRpcSigner, JsonRpcSigner]
    const openings = c.hospitals.map(() => randomOpening())
    const outsider = c.outsiders[1]!
    const fromOutsider = await signedCommit(outsider, taskId, round, randomOpening())
    const e0 = await signedCommit(h0, taskId, round, openings[0]!)
    const e1 = await signedCommit(h1, taskId, round, openings[1]!)
    expect(await expectEntryRejected(relay('commitBatch', taskId, round, [e0, fromOutsider]), 1, 'AggregatorNotHospital')).toEqual({
      account: outsider.address,
    })
    // The same hospital twice in one batch: the second entry is a double commit.
    await expectEntryRejected(relay('commitBatch', taskId, round, [e0, e1, e0]), 2, 'AggregatorAlreadyCommitted')
    const emptyCommitment = await signCommit({ signer: h1, aggregator, taskId, round, commitment: ZeroHash })
    await expectEntryRejected(relay('commitBatch', taskId, round, [emptyCommitment]), 0, 'AggregatorEmptyCommitment')

    // Mixing: h0 commits alone, then a batch carrying h0 again is rejected; a batch without it lands;
    // afterwards h1 cannot commit again by itself.
    await commit(c, h0, taskId, round, openings[0]!)
    await expectEntryRejected(relay('commitBatch', taskId, round, [e1, e0]), 1, 'AggregatorAlreadyCommitted')
    await send(relay('commitBatch', taskId, round, [e1]))
    await expectRevert(as(c.aggregator, h1).getFunction('commit')(taskId, round, e1.commitment), 'AggregatorAlreadyCommitted')
    await send(relay('commitBatch', taskId, round, [await signedCommit(h2, taskId, round, openings[2]!)]))
    await commit(c, h3, taskId, round, openings[3]!)
    // A suspended-or-exiting hospital is refused exactly like commit() refuses it.
    await send(as(c.aggregator, c.hospitals[4]!).getFunction('requestExit')())
    const exiting = await signedCommit(c.hospitals[4]!, taskId, round, openings[4]!)
    await expectEntryRejected(relay('commitBatch', taskId, round, [exiting]), 0, 'AggregatorHospitalNotActive')
    // Every active hospital committed (h4 left): shares open early.

    // Shares: batch for a hospital that committed alone and vice versa; duplicates; wrong opening.
    const s0 = await signedShare(h0, taskId, round, openings[0]!)
    const s1 = await signedShare(h1, taskId, round, openings[1]!)
    await expectEntryRejected(relay('shareBatch', taskId, round, [s0, s0]), 1, 'AggregatorAlreadyShared')
    const wrong = await signedShare(h2, taskId, round, { ...openings[2]!, salt: ZeroHash })
    await expectEntryRejected(relay('shareBatch', taskId, round, [s0, wrong]), 1, 'AggregatorCommitmentMismatch')
    const notCommitted = await signedShare(c.hospitals[4]!, taskId, round, openings[4]!)
    await expectEntryRejected(relay('shareBatch', taskId, round, [notCommitted]), 0, 'AggregatorNotCommitted')
    const outsiderShare = await signedShare(outsider, taskId, round, randomOpening())
    await expectEntryRejected(relay('shareBatch', taskId, round, [outsiderShare]), 0, 'AggregatorNotHospital')
    await send(relay('shareBatch', taskId, round, [s0, s1]))
    await share(c, h2, taskId, round, openings[2]!)
    await expectRevert(share(c, h0, taskId, round, openings[0]!), 'AggregatorAlreadyShared')
    await send(relay('shareBatch', taskId, round, [await signedShare(h3, taskId, round, openings[3]!)]))
    expect((await roundState(c, taskId)).shared).toBe(bitmapOf([0, 1, 2, 3]))
  })

  it('applies the phase rules of the single path to the whole batch; an empty batch records nothing', async () => {
    const { taskId, round } = await newRound()
    const opening = randomOpening()
    const entry = await signedCommit(c.hospitals[0]!, taskId, round, opening)
    await send(relay('commitBatch', taskId, round, [entry]))
    const shareEntry = await signedShare(c.hospitals[0]!, taskId, round, opening)
    await expectRevert(relay('shareBatch', taskId, round, [shareEntry]), 'AggregatorSharePhaseNotStarted')
    await expectRevert(relay('commitBatch', taskId, round + 1n, [entry]), 'AggregatorRoundNotOpen')
    const empty = await send(relay('commitBatch', taskId, round, []))
    expect(empty.logs).toEqual([])
    await c.chain.increaseTime(101)
    const late = await signedCommit(c.hospitals[1]!, taskId, round, randomOpening())
    await expectRevert(relay('commitBatch', taskId, round, [late]), 'AggregatorCommitPhaseClosed')
    await send(relay('shareBatch', taskId, round, [shareEntry]))
    await c.chain.increaseTime(101)
    await expectRevert(relay('shareBatch', taskId, round, [shareEntry]), 'AggregatorSharePhaseClosed')
  })

  it('publishes its EIP-712 domain (ERC-5267) and explains a rejected entry in one line', async () => {
    const [, name, version, chainId, verifyingContract] = (await c.aggregator.getFunction('eip712Domain')()) as [
      string,
      string,
      string,
      bigint,
      string,
    ]
    expect([name, version, chainId, verifyingContract]).toEqual([
      EIP712_DOMAIN_NAME,
      EIP712_DOMAIN_VERSION,
      BigInt(EMBEDDED_CHAIN_ID),
      aggregator,
    ])
    const { taskId, round } = await newRound()
    const entry = await signedCommit(c.hospitals[0]!, taskId, round, randomOpening())
    await send(relay('commitBatch', taskId, round, [entry]))
    let caught: unknown
    try {
      await relay('commitBatch', taskId, round, [entry])
    } catch (error) {
      caught = error
    }
    const decoded = decodeContractError(caught)!
    expect(decoded.shortMessage).toBe(
      `contract reverted with AggregatorBatchEntryRejected(index=0, reason=AggregatorAlreadyCommitted(taskId=${taskId}, round=${round}, hospital=${c.hospitals[0]!.address}))`,
    )
    expect(decoded.details['entryError']).toBe('AggregatorAlreadyCommitted')
  })
})
