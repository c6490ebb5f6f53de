import { decodeQualityScores, indicesOf } from '@fedchain/aggregator-contract'
import {
  applyEvent,
  DEFAULT_REPUTATION_PARAMETERS,
  initialReputationState,
  opinion,
  splitReward,
  type ReputationParameters,
  type ReputationState,
} from '@fedchain/reputation'
import type { AuditEvent } from './decode-events.js'
import type { EventOf } from './task-timeline.js'

/** What the contract credited in one finalized round. */
export interface RoundCredit {
  readonly taskId: bigint
  readonly round: number
  /** Amount per registry index: participant shares plus committee fees. */
  readonly credited: ReadonlyMap<number, bigint>
}

/** The contract's reputation and reward ledger, recomputed from its events. */
export interface ReputationLedger {
  /** Stored reputation per registry index (as `reputationOf` returns it: not decayed to now). */
  readonly reputation: ReadonlyMap<number, ReputationState>
  readonly params: ReputationParameters
  readonly credits: readonly RoundCredit[]
  /** Claimed per lower-case address (RewardClaimed). */
  readonly claimed: ReadonlyMap<string, bigint>
}

const key = (taskId: bigint, round: number) => `${taskId}:${round}`

/**
 * Replays every finalized round of every task, in chain order, exactly as the contract settles it
 * (packages/reputation/FIXED_POINT.md): committed hospitals in ascending index decay to the round's
 * reputation round and gain their accepted/rejected/absent evidence, dissenting committee members
 * gain disagreement evidence; accepted participants share `participantsPaid` by the reward split
 * with their reputation score read before the update and the quorum's quality scores, and each
 * agreeing member gets `feePerMember`. Reputation is consortium-wide, so all tasks are replayed.
 */
export function replayReputation(events: readonly AuditEvent[]): ReputationLedger {
  let params: ReputationParameters = DEFAULT_REPUTATION_PARAMETERS
  const reputation = new Map<number, ReputationState>()
  const credits: RoundCredit[] = []
  const claimed = new Map<string, bigint>()
  const qualities = new Map<string, number[]>()
  const verdictsByTx = new Map<string, EventOf<'VerdictSubmitted'>>()
  const pending = new Map<string, { accepted: number[]; scores: bigint[]; agreeing: number[] }>()
  const stateOf = (index: number) => reputation.get(index) ?? initialReputationState(0n)

  for (const e of events) {
    switch (e.name) {
      case 'ReputationParamsUpdated':
        params = { decay: e.decay, weightAccepted: e.weightAccepted, weightRejected: e.weightRejected, weightAbsent: e.weightAbsent, weightDisagreement: e.weightDisagreement, priorWeight: e.priorWeight, baseRate: e.baseRate }
        break
      case 'VerdictSubmitted':
        verdictsByTx.set(`${e.transactionHash.toLowerCase()}:${key(e.taskId, e.round)}`, e)
        break
      case 'QuorumReached': {
        const verdict = verdictsByTx.get(`${e.transactionHash.toLowerCase()}:${key(e.taskId, e.round)}`)
        if (verdict !== undefined) qualities.set(key(e.taskId, e.round), decodeQualityScores(verdict.qualityScores))
        break
      }
      case 'RoundFinalized': {
        const repRound = e.reputationRound
        const accepted = indicesOf(e.accepted)
        const scores: bigint[] = []
        for (const index of indicesOf(e.accepted | e.rejected | e.absent)) {
          const state = stateOf(index)
          // The reward weight uses the stored score, read before this round's decay and evidence.
          if ((e.accepted >> BigInt(index)) & 1n) scores.push(opinion(state, params).score)
          const event = (e.accepted >> BigInt(index)) & 1n ? 'accepted' : (e.rejected >> BigInt(index)) & 1n ? 'rejected' : 'absent'
          reputation.set(index, applyEvent(state, event, repRound, params))
        }
        for (const index of indicesOf(e.dissenting)) reputation.set(index, applyEvent(stateOf(index), 'disagreement', repRound, params))
        pending.set(key(e.taskId, e.round), { accepted, scores, agreeing: indicesOf(e.agreeing) })
        break
      }
      case 'RewardsCredited': {
        const round = pending.get(key(e.taskId, e.round))
        if (round === undefined) break
        const quality = qualities.get(key(e.taskId, e.round)) ?? []
        const credited = new Map<number, bigint>()
        if (round.accepted.length > 0) {
          const split = splitReward({
            // participantsPaid is the participant pool: the split of it alone gives the contract's shares.
            pool: e.participantsPaid,
            committeeFeeBps: 0,
            committeeMembers: 1,
            participants: round.accepted.map((index, i) => ({ id: String(index), score: round.scores[i] ?? 0n, qualityBps: quality[i] ?? 0 })),
          })
          for (const share of split.shares) credited.set(Number(share.id), share.share)
        }
        for (const index of round.agreeing) credited.set(index, (credited.get(index) ?? 0n) + e.feePerMember)
        credits.push({ taskId: e.taskId, round: e.round, credited })
        break
      }
      case 'RewardClaimed':
        claimed.set(e.hospital.toLowerCase(), (claimed.get(e.hospital.toLowerCase()) ?? 0n) + e.amount)
        break
      default:
        break
    }
  }
  return { reputation, params, credits, claimed }
}
