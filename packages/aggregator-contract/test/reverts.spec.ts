import { keccak256, toUtf8Bytes, ZeroHash } from 'ethers'
import type { JsonRpcSigner } from 'ethers'
import { describe, expect, it } from 'vitest'
import { bitmapOf, computeCommitment, encodeQualityScores } from '../src/index.js'
import {
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

const MODEL = keccak256(toUtf8Bytes('aggregate'))
const OTHER_MODEL = keccak256(toUtf8Bytes('another aggregate'))

describe('round revert paths (7 hospitals: committee = everyone, quorum 5)', () => {
  const c = useConsortium({ hospitals: 7, outsiders: 2 }, { isolated: true })

  /** Opens a round where `committers` commit; returns their openings. */
  async function committedRound(committers: readonly JsonRpcSigner[]) {
    const taskId = await createTask(c)
    const round = await openRound(c, taskId)
    const openings: Opening[] = []
    for (const h of committers) openings.push(await commit(c, h, taskId, round))
    return { taskId, round, openings }
  }

  /** All 7 commit and share; returns the ids. */
  async function sharedRound() {
    const r = await committedRound(c.hospitals)
    for (const [i, h] of c.hospitals.entries()) await share(c, h, r.taskId, r.round, r.openings[i]!)
    return r
  }

  it('rejects commits from outsiders and pending applicants', async () => {
    const taskId = await createTask(c)
    const round = await openRound(c, taskId)
    await expectRevert(commit(c, c.outsiders[0]!, taskId, round), 'AggregatorNotHospital')
    await send(as(c.aggregator, c.outsiders[1]!).getFunction('applyForMembership')('0x', c.minStake))
    await expectRevert(commit(c, c.outsiders[1]!, taskId, round), 'AggregatorNotHospital')
  })

  it('rejects a second commit by the same hospital', async () => {
    const { taskId, round } = await committedRound([c.hospitals[0]!])
    const args = await expectRevert(commit(c, c.hospitals[0]!, taskId, round), 'AggregatorAlreadyCommitted')
    expect(args['hospital']).toBe(c.hospitals[0]!.address)
  })

  it('rejects a commit after the commit deadline', async () => {
    const taskId = await createTask(c)
    const round = await openRound(c, taskId)
    await c.chain.increaseTime(101)
    await expectRevert(commit(c, c.hospitals[0]!, taskId, round), 'AggregatorCommitPhaseClosed')
  })

  it('rejects a commit to a round that is not open, and an empty commitment', async () => {
    const taskId = await createTask(c)
    await expectRevert(commit(c, c.hospitals[0]!, taskId, 1n), 'AggregatorRoundNotOpen')
    const round = await openRound(c, taskId)
    await expectRevert(commit(c, c.hospitals[0]!, taskId, round + 1n), 'AggregatorRoundNotOpen')
    await expectRevert(
      as(c.aggregator, c.hospitals[0]!).getFunction('commit')(taskId, round, ZeroHash),
      'AggregatorEmptyCommitment',
    )
  })

  it('keeps shares closed until the commit deadline unless everyone committed', async () => {
    const { taskId, round, openings } = await committedRound(c.hospitals.slice(0, 3))
    await expectRevert(share(c, c.hospitals[0]!, taskId, round, openings[0]!), 'AggregatorSharePhaseNotStarted')
    await c.chain.increaseTime(101)
    await share(c, c.hospitals[0]!, taskId, round, openings[0]!)
    await c.chain.increaseTime(100)
    await expectRevert(share(c, c.hospitals[1]!, taskId, round, openings[1]!), 'AggregatorSharePhaseClosed')
  })

  it('rejects a reveal that does not open the commitment', async () => {
    const { taskId, round, openings } = await committedRound(c.hospitals)
    const wrong = { ...openings[0]!, sampleCount: openings[0]!.sampleCount + 1n }
    const args = await expectRevert(share(c, c.hospitals[0]!, taskId, round, wrong), 'AggregatorCommitmentMismatch')
    expect(args['committed']).toBe(
      computeCommitment({ ...openings[0]!, hospital: c.hospitals[0]!.address, taskId, round }),
    )
    // Another hospital cannot reveal someone else's opening either: the commitment binds the sender.
    await expectRevert(share(c, c.hospitals[1]!, taskId, round, openings[0]!), 'AggregatorCommitmentMismatch')
  })

  it('rejects shares without a commitment, twice, or from outsiders', async () => {
    const { taskId, round, openings } = await committedRound(c.hospitals.slice(0, 6))
    await c.chain.increaseTime(101)
    await expectRevert(share(c, c.hospitals[6]!, taskId, round, randomOpening()), 'AggregatorNotCommitted')
    await expectRevert(share(c, c.outsiders[0]!, taskId, round, randomOpening()), 'AggregatorNotHospital')
    await share(c, c.hospitals[0]!, taskId, round, openings[0]!)
    await expectRevert(share(c, c.hospitals[0]!, taskId, round, openings[0]!), 'AggregatorAlreadyShared')
  })

  it('keeps verdicts closed until every committed hospital shared or the share deadline passed', async () => {
    const { taskId, round, openings } = await committedRound(c.hospitals)
    for (const [i, h] of c.hospitals.slice(0, 6).entries()) await share(c, h, taskId, round, openings[i]!)
    await expectRevert(submit(c, c.hospitals[0]!, taskId, round, 1n, MODEL), 'AggregatorVerifyPhaseNotStarted')
    await share(c, c.hospitals[6]!, taskId, round, openings[6]!)
    await submit(c, c.hospitals[0]!, taskId, round, 1n, MODEL)
    await c.chain.increaseTime(301)
    await expectRevert(submit(c, c.hospitals[1]!, taskId, round, 1n, MODEL), 'AggregatorVerifyPhaseClosed')
  })

  it('rejects a committee member submitting twice and outsiders submitting', async () => {
    const { taskId, round } = await sharedRound()
    await submit(c, c.hospitals[0]!, taskId, round, 1n, MODEL)
    await expectRevert(submit(c, c.hospitals[0]!, taskId, round, 1n, MODEL), 'AggregatorAlreadySubmitted')
    await expectRevert(submit(c, c.hospitals[0]!, taskId, round, 3n, OTHER_MODEL), 'AggregatorAlreadySubmitted')
    await expectRevert(submit(c, c.outsiders[0]!, taskId, round, 1n, MODEL), 'AggregatorNotHospital')
  })

  it('rejects verdicts accepting unshared updates or with malformed quality scores', async () => {
    const { taskId, round, openings } = await committedRound(c.hospitals)
    for (const [i, h] of c.hospitals.slice(0, 5).entries()) await share(c, h, taskId, round, openings[i]!)
    await c.chain.increaseTime(201)
    const args = await expectRevert(
      submit(c, c.hospitals[0]!, taskId, round, bitmapOf([0, 5]), MODEL),
      'AggregatorAcceptedNotShared',
    )
    expect(args['invalidBits']).toBe(bitmapOf([5]))
    const fn = as(c.aggregator, c.hospitals[0]!).getFunction('submitVerdict')
    await expectRevert(fn(taskId, round, bitmapOf([0, 1]), MODEL, 'cid', encodeQualityScores([1])), 'AggregatorQualityScoresLength')
    await expectRevert(fn(taskId, round, bitmapOf([0]), MODEL, 'cid', '0x2711'), 'AggregatorQualityScoreTooHigh')
  })

  it('rejects verdicts when fewer than minParticipants committed, and lets anyone abort then', async () => {
    const taskId = await createTask(c, { minParticipants: 3 })
    const round = await openRound(c, taskId)
    const opening = await commit(c, c.hospitals[0]!, taskId, round)
    await c.chain.increaseTime(101)
    await share(c, c.hospitals[0]!, taskId, round, opening)
    await c.chain.increaseTime(100)
    await expectRevert(submit(c, c.hospitals[0]!, taskId, round, 1n, MODEL), 'AggregatorNotEnoughParticipants')
    await send(as(c.aggregator, c.outsiders[0]!).getFunction('abortRound')(taskId, round))
  })

  it('does not finalize without quorum; 4 of 7 agreeing is not enough, 5 of 7 is', async () => {
    const { taskId, round } = await sharedRound()
    await expectRevert(finalize(c, taskId, round), 'AggregatorQuorumNotReached')
    const accepted = bitmapOf([0, 1, 2, 3, 4, 5, 6])
    for (const h of c.hospitals.slice(0, 4)) await submit(c, h, taskId, round, accepted, MODEL)
    // A split vote: two members propose another aggregate, one another accepted set.
    await submit(c, c.hospitals[4]!, taskId, round, accepted, OTHER_MODEL)
    await submit(c, c.hospitals[5]!, taskId, round, accepted, OTHER_MODEL)
    await expectRevert(finalize(c, taskId, round), 'AggregatorQuorumNotReached')
    expect((await roundState(c, taskId)).quorumKey).toBe(ZeroHash)
    await submit(c, c.hospitals[6]!, taskId, round, accepted, MODEL)
    await finalize(c, taskId, round)
    const current = (await c.aggregator.getFunction('currentModel')(taskId)) as { sha256: string }
    expect(current.sha256).toBe(MODEL)
    // The two dissenters lost reputation, the agreeing members gained (they were also accepted).
    const [, negDissenter] = (await c.aggregator.getFunction('reputationOf')(4)) as bigint[]
    const [, negAgreeing] = (await c.aggregator.getFunction('reputationOf')(0)) as bigint[]
    expect(negDissenter).toBe(10n ** 18n)
    expect(negAgreeing).toBe(0n)
  })

  it('lets a second finalize revert cleanly', async () => {
    const { taskId, round } = await sharedRound()
    for (const h of c.hospitals.slice(0, 5)) await submit(c, h, taskId, round, 1n, MODEL)
    await finalize(c, taskId, round)
    await expectRevert(finalize(c, taskId, round), 'AggregatorRoundAlreadyClosed')
    await expectRevert(finalize(c, taskId, round + 5n), 'AggregatorRoundNotOpen')
  })

  it('aborts only after the verify deadline and only without quorum; the next round restarts from the last model', async () => {
    const { taskId, round } = await sharedRound()
    const abort = () => as(c.aggregator, c.outsiders[0]!).getFunction('abortRound')(taskId, round)
    await expectRevert(abort(), 'AggregatorAbortTooEarly')
    for (const h of c.hospitals.slice(0, 4)) await submit(c, h, taskId, round, 1n, MODEL)
    await c.chain.increaseTime(301)
    await send(abort())
    await expectRevert(abort(), 'AggregatorRoundAlreadyClosed')
    const before = (await c.aggregator.getFunction('currentModel')(taskId)) as { sha256: string }
    expect(before.sha256).toBe(keccak256(toUtf8Bytes('model spec')))
    const next = await openRound(c, taskId)
    expect(next).toBe(round + 1n)
    // Nothing was credited and the escrow is intact.
    for (const h of c.hospitals) expect(await c.aggregator.getFunction('claimable')(h.address)).toBe(0n)
  })

  it('refuses to abort a round that reached quorum', async () => {
    const { taskId, round } = await sharedRound()
    for (const h of c.hospitals.slice(0, 5)) await submit(c, h, taskId, round, 1n, MODEL)
    await c.chain.increaseTime(301)
    await expectRevert(c.aggregator.getFunction('abortRound')(taskId, round), 'AggregatorQuorumAlreadyReached')
  })

  it('rejects a second claim and claims by non-participants', async () => {
    const { taskId, round } = await sharedRound()
    for (const h of c.hospitals.slice(0, 5)) await submit(c, h, taskId, round, bitmapOf([0, 1]), MODEL)
    await finalize(c, taskId, round)
    await send(as(c.aggregator, c.hospitals[0]!).getFunction('claim')())
    await expectRevert(as(c.aggregator, c.hospitals[0]!).getFunction('claim')(), 'AggregatorNothingToClaim')
    await expectRevert(as(c.aggregator, c.outsiders[0]!).getFunction('claim')(), 'AggregatorNothingToClaim')
    // Hospital 6 was rejected and sat on the committee but did not vote: nothing to claim.
    await expectRevert(as(c.aggregator, c.hospitals[6]!).getFunction('claim')(), 'AggregatorNothingToClaim')
  })

  it('refuses stake withdrawal while committed to an open round', async () => {
    const exitDelay = Number(c.exitDelay)
    const { taskId, round, openings } = await committedRound([c.hospitals[0]!])
    const hospital = as(c.aggregator, c.hospitals[0]!)
    await expectRevert(hospital.getFunction('withdrawStake')(), 'AggregatorExitNotRequested')
    await send(hospital.getFunction('requestExit')())
    await expectRevert(hospital.getFunction('withdrawStake')(), 'AggregatorExitDelayNotElapsed')
    // An exiting hospital still finishes its round: it can share.
    await c.chain.increaseTime(101)
    await share(c, c.hospitals[0]!, taskId, round, openings[0]!)
    await c.chain.increaseTime(exitDelay)
    const args = await expectRevert(hospital.getFunction('withdrawStake')(), 'AggregatorCommittedToOpenRound')
    expect(args['taskId']).toBe(taskId)
    await send(c.aggregator.getFunction('abortRound')(taskId, round))
    const before = (await c.token.getFunction('balanceOf')(c.hospitals[0]!.address)) as bigint
    await send(hospital.getFunction('withdrawStake')())
    expect(await c.token.getFunction('balanceOf')(c.hospitals[0]!.address)).toBe(before + c.minStake)
    await expectRevert(hospital.getFunction('withdrawStake')(), 'AggregatorExitNotRequested')
    await expectRevert(commit(c, c.hospitals[0]!, taskId, round + 1n), 'AggregatorRoundNotOpen')
  })
})
