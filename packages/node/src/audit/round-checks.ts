import { bitmapOf, indicesOf, quorumOf } from '@fedchain/aggregator-contract'
import type { AuditMismatch } from './mismatch.js'
import type { RoundTimeline, TaskTimeline } from './task-timeline.js'

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

/** ⌈2k/3⌉ committee members submitted the finalized (bitmap, hash); agreeing/dissenting match the submissions. */
export function checkQuorum(round: RoundTimeline, task: TaskTimeline, report: (m: AuditMismatch) => void): void {
  const finalized = round.finalized
  if (finalized === undefined) return
  const r = round.round
  const committee = round.opened.committee
  const required = quorumOf(indicesOf(committee).length)
  if (round.opened.quorum !== required) {
    report({ round: r, party: 'chain', check: 'quorum', expected: `quorum ${required} for a committee of ${indicesOf(committee).length}`, found: `quorum ${round.opened.quorum}`, message: `round ${r} opened with a quorum other than ⌈2k/3⌉` })
  }
  const indexOf = (a: string) => task.hospitals.indexOf.get(a.toLowerCase())
  for (const v of round.verdicts) {
    const index = indexOf(v.member)
    if (index === undefined || ((committee >> BigInt(index)) & 1n) === 0n) {
      report({ round: r, party: v.member, check: 'quorum', expected: 'a committee member', found: 'not in the round committee', message: `${v.member} submitted a verdict in round ${r} without being on its committee` })
    }
  }
  const agreeing = round.verdicts.filter((v) => v.acceptedBitmap === finalized.accepted && same(v.modelSha256, finalized.modelSha256))
  if (agreeing.length < required) {
    report({ round: r, party: 'committee', check: 'quorum', expected: `${required} identical submissions`, found: `${agreeing.length}`, message: `round ${r} was finalized with ${agreeing.length} of the ${required} identical submissions a quorum needs` })
  }
  const agreeingBits = bitmapOf(agreeing.map((v) => indexOf(v.member)).filter((i): i is number => i !== undefined))
  const submittedBits = bitmapOf(round.verdicts.map((v) => indexOf(v.member)).filter((i): i is number => i !== undefined))
  if (agreeingBits !== finalized.agreeing || (submittedBits & ~agreeingBits) !== finalized.dissenting) {
    report({ round: r, party: 'chain', check: 'quorum', expected: `agreeing 0x${agreeingBits.toString(16)}, dissenting 0x${(submittedBits & ~agreeingBits).toString(16)}`, found: `agreeing 0x${finalized.agreeing.toString(16)}, dissenting 0x${finalized.dissenting.toString(16)}`, message: `round ${r}: RoundFinalized's agreeing/dissenting bitmaps differ from the submissions` })
  }
}

/** RoundFinalized's accepted/rejected/absent bitmaps follow from the commits and shares. */
export function checkOutcome(round: RoundTimeline, task: TaskTimeline, report: (m: AuditMismatch) => void): void {
  const finalized = round.finalized
  if (finalized === undefined) return
  const bits = (addresses: readonly string[]) => bitmapOf(addresses.map((a) => task.hospitals.indexOf.get(a.toLowerCase())).filter((i): i is number => i !== undefined))
  const committed = bits(round.commits.map((c) => c.hospital))
  const shared = bits(round.shares.map((s) => s.hospital))
  const hex = (b: bigint) => `0x${b.toString(16)}`
  if ((finalized.accepted & ~shared) !== 0n) {
    report({ round: round.round, party: 'committee', check: 'outcome', expected: `accepted ⊆ shared ${hex(shared)}`, found: hex(finalized.accepted), message: `round ${round.round} accepted updates that were never shared` })
  }
  if (finalized.rejected !== (shared & ~finalized.accepted) || finalized.absent !== (committed & ~shared)) {
    report({
      round: round.round,
      party: 'chain',
      check: 'outcome',
      expected: `rejected ${hex(shared & ~finalized.accepted)}, absent ${hex(committed & ~shared)}`,
      found: `rejected ${hex(finalized.rejected)}, absent ${hex(finalized.absent)}`,
      message: `round ${round.round}: RoundFinalized's rejected/absent bitmaps differ from the commits and shares`,
    })
  }
}
