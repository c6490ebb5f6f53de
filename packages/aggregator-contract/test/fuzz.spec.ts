// Randomized whole-round sequences on the real contract, checked against an independent model built
// from @fedchain/reputation (the TypeScript side of the shared fixed-point spec) after every round.
import { hexlify, keccak256, toUtf8Bytes, ZeroHash } from 'ethers'
import {
  DEFAULT_REPUTATION_PARAMETERS,
  applyEvent,
  createSeededRandom,
  initialReputationState,
  opinion,
  splitReward,
  type ReputationEvent,
  type ReputationState,
  type SeededRandom,
} from '@fedchain/reputation'
import { describe, expect, it } from 'vitest'
import { WAD, computeCommitment, encodeQualityScores, indicesOf, quorumOf } from '../src/index.js'
import {
  TOKEN,
  as,
  createTask,
  expectRevert,
  roundState,
  send,
  useConsortium,
  type Consortium,
} from './fixtures/consortium.js'

const HOSPITALS = 10
const SLASH = 30n * TOKEN
const REWARD = 1000n * TOKEN + 7n // not a round number, so that dust appears
const MIN_STEPS = 10
const MAX_STEPS = 30

interface Model {
  reputation: ReputationState[]
  credited: bigint[]
  claimed: bigint[]
  stake: bigint[]
  suspended: boolean[]
  escrow: Map<bigint, bigint>
  reputationRound: bigint
  outcomes: { accepted: number; rejected: number; dissenting: number; slashed: bigint }[]
}

function bits(indices: readonly number[]): bigint {
  return indices.reduce((acc, i) => acc | (1n << BigInt(i)), 0n)
}

function pick<T>(rng: SeededRandom, items: readonly T[], probability: number): T[] {
  return items.filter(() => rng.next() < probability)
}

async function checkInvariants(c: Consortium, model: Model, tasks: readonly bigint[]): Promise<void> {
  const aggregatorAddress = await c.aggregator.getAddress()
  const balance = (await c.token.getFunction('balanceOf')(aggregatorAddress)) as bigint
  let stakes = 0n
  let claimable = 0n
  for (const [i, h] of c.hospitals.entries()) {
    const [, , record] = (await c.aggregator.getFunction('hospital')(h.address)) as [bigint, bigint, { stake: bigint }]
    expect(record.stake, `stake of hospital ${i}`).toBe(model.stake[i])
    stakes += record.stake
    const owed = (await c.aggregator.getFunction('claimable')(h.address)) as bigint
    expect(owed, `claimable of hospital ${i}`).toBe(model.credited[i]! - model.claimed[i]!)
    claimable += owed
    const [positive, negative, lastRound, score] = (await c.aggregator.getFunction('reputationOf')(i)) as bigint[]
    const expected = model.reputation[i]!
    expect({ i, positive, negative, lastRound }).toEqual({ i, ...expected })
    expect(score).toBe(opinion(expected, DEFAULT_REPUTATION_PARAMETERS).score)
    expect(score! >= 0n && score! <= WAD).toBe(true)
  }
  let escrow = 0n
  for (const taskId of tasks) {
    const terms = (await c.aggregator.getFunction('taskTerms')(taskId)) as { escrow: bigint }
    expect(terms.escrow, `escrow of task ${taskId}`).toBe(model.escrow.get(taskId))
    escrow += terms.escrow
  }
  // Token conservation: everything the contract holds is stake, escrow or credited-but-unclaimed.
  expect(balance).toBe(stakes + escrow + claimable)
}

async function playRound(c: Consortium, model: Model, rng: SeededRandom, taskId: bigint): Promise<'finalized' | 'aborted'> {
  await send(c.aggregator.getFunction('openRound')(taskId))
  const schedule = (await c.aggregator.getFunction('taskSchedule')(taskId)) as { round: bigint; quorum: bigint }
  const round = schedule.round
  const { committee } = await roundState(c, taskId)
  const members = indicesOf(committee)
  expect(members.every((i) => !model.suspended[i])).toBe(true)
  expect(Number(schedule.quorum)).toBe(quorumOf(members.length))

  // Commit: a random subset of the active hospitals.
  const active = c.hospitals.map((_, i) => i).filter((i) => !model.suspended[i])
  const committers = pick(rng, active, 0.85)
  const openings = new Map<number, { updateHash: string; sampleCount: bigint; salt: string }>()
  for (const i of committers) {
    const opening = { updateHash: hexlify(toUtf8Bytes(`u${round}-${i}`.padEnd(32, '.'))), sampleCount: BigInt(1 + rng.nextInt(1000)), salt: keccak256(toUtf8Bytes(`${rng.next()}`)) }
    openings.set(i, opening)
    const commitment = computeCommitment({ ...opening, hospital: c.hospitals[i]!.address, taskId, round })
    await send(as(c.aggregator, c.hospitals[i]!).getFunction('commit')(taskId, round, commitment))
  }
  await c.chain.increaseTime(101)

  // Share: most committed hospitals open their commitment; some try a wrong opening first.
  const sharers: number[] = []
  for (const i of committers) {
    const opening = openings.get(i)!
    const fn = as(c.aggregator, c.hospitals[i]!).getFunction('share')
    if (rng.next() < 0.1) {
      await expectRevert(fn(taskId, round, opening.updateHash, opening.sampleCount + 1n, opening.salt, 0n, 'cid'), 'AggregatorCommitmentMismatch')
    }
    if (rng.next() < 0.85) {
      await send(fn(taskId, round, opening.updateHash, opening.sampleCount, opening.salt, WAD, `cid-${i}`))
      sharers.push(i)
    }
  }
  await c.chain.increaseTime(100)

  // Verdicts: most members vote the honest verdict, others a different model or accepted set.
  const accepted = pick(rng, sharers, 0.8)
  const honest = { bitmap: bits(accepted), model: keccak256(toUtf8Bytes(`model-${taskId}-${round}`)) }
  const rogue = { bitmap: bits(accepted.slice(1)), model: keccak256(toUtf8Bytes(`rogue-${round}`)) }
  const votes = new Map<string, number[]>()
  let quorumQualities: number[] | undefined
  let quorumVerdict: typeof honest | undefined
  const submitted: number[] = []
  const minParticipantsMet = committers.length >= 1
  for (const m of members) {
    const roll = rng.next()
    if (roll > 0.9 || !minParticipantsMet) continue // abstains
    const verdict = roll < 0.7 ? honest : rng.next() < 0.5 ? rogue : { ...honest, model: rogue.model }
    const qualities = accepted.map(() => rng.nextInt(10_001))
    const qualitiesForVerdict = verdict.bitmap === honest.bitmap ? qualities : indicesOf(verdict.bitmap).map(() => rng.nextInt(10_001))
    await send(
      as(c.aggregator, c.hospitals[m]!).getFunction('submitVerdict')(taskId, round, verdict.bitmap, verdict.model, 'model-cid', encodeQualityScores(qualitiesForVerdict)),
    )
    submitted.push(m)
    const key = `${verdict.bitmap}:${verdict.model}`
    const voters = [...(votes.get(key) ?? []), m]
    votes.set(key, voters)
    if (quorumVerdict === undefined && voters.length >= Number(schedule.quorum)) {
      quorumVerdict = verdict
      quorumQualities = qualitiesForVerdict
    }
  }
  const state = await roundState(c, taskId)

  if (quorumVerdict === undefined) {
    expect(state.quorumKey).toBe(ZeroHash)
    await expectRevert(c.aggregator.getFunction('finalize')(taskId, round), 'AggregatorQuorumNotReached')
    await c.chain.increaseTime(101)
    await send(c.aggregator.getFunction('abortRound')(taskId, round))
    return 'aborted'
  }
  // The quorum is the first verdict that ⌈2k/3⌉ members submitted, and only it can be finalized.
  expect(state.quorumAccepted).toBe(quorumVerdict.bitmap)
  await send(c.aggregator.getFunction('finalize')(taskId, round))
  await expectRevert(c.aggregator.getFunction('finalize')(taskId, round), 'AggregatorRoundAlreadyClosed')
  const model2 = (await c.aggregator.getFunction('currentModel')(taskId)) as { sha256: string }
  expect(model2.sha256).toBe(quorumVerdict.model)

  // Mirror: reward split with pre-update scores, then the reputation events, then slashes.
  const r = ++model.reputationRound
  const acceptedIdx = indicesOf(quorumVerdict.bitmap)
  const agreeing = votes.get(`${quorumVerdict.bitmap}:${quorumVerdict.model}`)!
  const split = splitReward({
    pool: REWARD,
    committeeFeeBps: 1000,
    committeeMembers: agreeing.length,
    participants: acceptedIdx.map((i, k) => ({ id: String(i), score: opinion(model.reputation[i]!, DEFAULT_REPUTATION_PARAMETERS).score, qualityBps: quorumQualities![k]! })),
  })
  split.shares.forEach((s) => (model.credited[Number(s.id)]! += s.share))
  for (const m of agreeing) model.credited[m]! += split.feePerMember
  let slashed = 0n
  const apply = (i: number, event: ReputationEvent) => {
    model.reputation[i] = applyEvent(model.reputation[i]!, event, r, DEFAULT_REPUTATION_PARAMETERS)
  }
  for (const i of [...committers].sort((a, b) => a - b)) {
    if (acceptedIdx.includes(i)) apply(i, 'accepted')
    else if (sharers.includes(i)) {
      apply(i, 'rejected')
      const amount = model.stake[i]! < SLASH ? model.stake[i]! : SLASH
      model.stake[i]! -= amount
      slashed += amount
      if (model.stake[i]! < c.minStake) model.suspended[i] = true
    } else apply(i, 'absent')
  }
  for (const m of submitted.filter((m) => !agreeing.includes(m))) apply(m, 'disagreement')
  const paid = split.shares.reduce((a, s) => a + s.share, 0n) + split.committeePaid
  model.escrow.set(taskId, model.escrow.get(taskId)! - paid + slashed)
  model.outcomes.push({ accepted: acceptedIdx.length, rejected: sharers.length - acceptedIdx.length, dissenting: submitted.length - agreeing.length, slashed })
  return 'finalized'
}

describe.each([1, 2, 3])('randomized round sequences (seed %i)', (seed) => {
  const c = useConsortium({ hospitals: HOSPITALS, outsiders: 0 })

  it('keeps tokens conserved, reputation exact and bounded, one quorum model per round', async () => {
    const rng = createSeededRandom(seed)
    const model: Model = {
      reputation: c.hospitals.map(() => initialReputationState()),
      credited: c.hospitals.map(() => 0n),
      claimed: c.hospitals.map(() => 0n),
      stake: c.hospitals.map(() => c.minStake),
      suspended: c.hospitals.map(() => false),
      escrow: new Map(),
      reputationRound: 0n,
      outcomes: [],
    }
    const tasks: bigint[] = []
    for (let t = 0; t < 2; t++) {
      const taskId = await createTask(c, { rounds: MAX_STEPS, rewardPerRound: REWARD, committeeSize: 7, slashAmount: SLASH })
      tasks.push(taskId)
      model.escrow.set(taskId, REWARD * BigInt(MAX_STEPS))
    }
    // The committee is drawn from prevrandao and the previous block hash, which follow the wall
    // clock, so the same seed does not replay the same rounds. Rounds are played until the
    // sequence has exercised the interesting paths (not only aborts), within a bound.
    const results: string[] = []
    const covered = () =>
      results.filter((r) => r === 'finalized').length >= 3 &&
      model.outcomes.some((o) => o.rejected > 0 && o.slashed > 0) &&
      model.outcomes.some((o) => o.dissenting > 0) &&
      model.outcomes.reduce((a, o) => a + o.accepted, 0) > 10
    for (let step = 0; step < MAX_STEPS && (step < MIN_STEPS || !covered()); step++) {
      results.push(await playRound(c, model, rng, tasks[rng.nextInt(tasks.length)]!))
      // Between rounds: some hospitals claim, suspended ones may top up their stake.
      for (const [i, h] of c.hospitals.entries()) {
        const owed = model.credited[i]! - model.claimed[i]!
        if (owed > 0n && rng.next() < 0.3) {
          await send(as(c.aggregator, h).getFunction('claim')())
          model.claimed[i] = model.credited[i]!
        }
        if (model.suspended[i] && rng.next() < 0.5) {
          await send(as(c.aggregator, h).getFunction('addStake')(SLASH))
          model.stake[i]! += SLASH
          model.suspended[i] = model.stake[i]! < c.minStake
        }
      }
      await checkInvariants(c, model, tasks)
    }
    expect(results.filter((r) => r === 'finalized').length).toBeGreaterThanOrEqual(3)
    expect(model.outcomes.some((o) => o.rejected > 0 && o.slashed > 0)).toBe(true)
    expect(model.outcomes.some((o) => o.dissenting > 0)).toBe(true)
    expect(model.outcomes.reduce((a, o) => a + o.accepted, 0)).toBeGreaterThan(10)
  })
})
