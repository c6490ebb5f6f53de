import { keccak256, toUtf8Bytes } from 'ethers'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  AggregatorError,
  bitmapOf,
  decodeAggregatorLog,
  findReceiptEvent,
  findRoundOpened,
  findRoundOutcome,
  findSharedUpdates,
} from '../src/index.js'
import { TOKEN, commit, createTask, finalize, send, share, submit, useConsortium } from './fixtures/consortium.js'

describe('typed aggregator events', () => {
  const c = useConsortium({ hospitals: 2 })
  let aggregator: string
  beforeAll(async () => {
    aggregator = await c.aggregator.getAddress()
  })

  it('decode a finalized round from receipts and from filtered logs', async () => {
    const taskId = await createTask(c, { commitDuration: 10, shareDuration: 20, verifyDuration: 30 })
    const opening = await send(c.aggregator.getFunction('openRound')(taskId))
    const opened = findReceiptEvent(opening, aggregator, 'RoundOpened')
    const { timestamp } = (await c.chain.provider.getBlock(opening.blockNumber))!
    expect(opened).toEqual({
      name: 'RoundOpened',
      taskId,
      round: 1,
      baseModelSha256: keccak256(toUtf8Bytes('model spec')),
      committee: bitmapOf([0, 1]),
      quorum: 2,
      commitDeadline: BigInt(timestamp + 10),
      shareDeadline: BigInt(timestamp + 30),
      verifyDeadline: BigInt(timestamp + 60),
    })
    expect(await findRoundOpened(c.aggregator, taskId, 1)).toEqual({ ...opened, blockNumber: opening.blockNumber, logIndex: expect.any(Number), transactionHash: opening.hash })
    expect(await findRoundOpened(c.aggregator, taskId, 2)).toBeUndefined()
    // Another contract's address: the receipt has no event of it.
    expect(findReceiptEvent(opening, await c.token.getAddress(), 'RoundOpened')).toBeUndefined()

    const openings = [await commit(c, c.hospitals[0]!, taskId, 1n), await commit(c, c.hospitals[1]!, taskId, 1n)]
    for (const [i, h] of c.hospitals.entries()) await share(c, h, taskId, 1n, openings[i]!)
    const shared = await findSharedUpdates(c.aggregator, taskId, 1, opening.blockNumber)
    expect(shared.map((e) => [e.hospital, e.round, e.sampleCount, e.epsilonSpent])).toEqual(
      c.hospitals.map((h, i) => [h.address, 1, openings[i]!.sampleCount, TOKEN]),
    )

    const model = keccak256(toUtf8Bytes('model r1'))
    for (const h of c.hospitals) await submit(c, h, taskId, 1n, bitmapOf([0, 1]), model)
    expect(await findRoundOutcome(c.aggregator, taskId, 1)).toBeUndefined()
    const finalizing = await finalize(c, taskId, 1n)
    const finalized = findReceiptEvent(finalizing, aggregator, 'RoundFinalized')
    expect(finalized).toMatchObject({ name: 'RoundFinalized', taskId, round: 1, modelSha256: model, accepted: bitmapOf([0, 1]), rejected: 0n, agreeing: bitmapOf([0, 1]) })
    expect(findReceiptEvent(finalizing, aggregator, 'RewardsCredited')).toMatchObject({ name: 'RewardsCredited', taskId, round: 1, participantsPaid: expect.any(BigInt) })
    expect(await findRoundOutcome(c.aggregator, taskId, 1, opening.blockNumber)).toEqual({
      outcome: 'finalized',
      txHash: finalizing.hash,
      event: { ...finalized, blockNumber: finalizing.blockNumber, logIndex: expect.any(Number), transactionHash: finalizing.hash },
    })
  })

  it('report an aborted round', async () => {
    const taskId = await createTask(c, { commitDuration: 10, shareDuration: 20, verifyDuration: 30 })
    await send(c.aggregator.getFunction('openRound')(taskId))
    await c.chain.increaseTime(11)
    const aborting = await send(c.aggregator.getFunction('abortRound')(taskId, 1))
    expect(await findRoundOutcome(c.aggregator, taskId, 1)).toMatchObject({ outcome: 'aborted', txHash: aborting.hash, event: { name: 'RoundAborted', taskId, round: 1 } })
  })

  it('skip registry bookkeeping and reject logs of other contracts', async () => {
    const applicant = c.outsiders[0]!
    const applying = await send(c.aggregator.connect(applicant).getFunction('applyForMembership')('0x', c.minStake))
    // The stake's ERC-20 Transfer comes from the token; MembershipRequested is registry bookkeeping.
    const token = await c.token.getAddress()
    const transfer = applying.logs.find((l) => l.address === token)
    const requested = applying.logs.find((l) => l.address === aggregator)
    expect(() => decodeAggregatorLog(transfer!)).toThrow(AggregatorError)
    expect(decodeAggregatorLog(requested!)).toBeUndefined()
    const admitting = await send(c.aggregator.getFunction('admitHospital')(applicant.address))
    expect(findReceiptEvent(admitting, aggregator, 'HospitalAdmitted')).toEqual({ name: 'HospitalAdmitted', account: applicant.address, index: 2 })
  })
})
