import type { PhaseName, RoundSummary, RunSummary, TokenAmount } from './summary-types.js'
import { seriesColor } from './svg/palette.js'
import { finite } from './svg/format.js'

/** A hospital as the charts show it: one colour and one label on every chart of the page. */
export interface HospitalView {
  address: string
  label: string
  malicious: boolean
  color: string
}

/** Phases in protocol order; a summary's other phase keys follow in the order first seen. */
export const PHASE_ORDER: readonly PhaseName[] = ['train', 'commit', 'share', 'verify', 'aggregate', 'finalize']

/** Wei per token: rewards given as decimal strings are wei amounts of an 18-decimal token. */
const WEI_PER_TOKEN = 10n ** 18n

/** Rounds sorted by round number, skipping entries without a usable round number. */
export function sortedRounds(summary: RunSummary): RoundSummary[] {
  const rounds = Array.isArray(summary.rounds) ? summary.rounds : []
  return rounds.filter((r) => finite(r?.round) !== undefined).sort((a, b) => a.round - b.round)
}

/**
 * Every hospital the summary mentions, in a stable order: the `nodes` list first (by index), then
 * addresses in order of first appearance in the rounds, the totals and the attack section.
 * Labels: the node's name, else `hospital-<index + 1>`, else the shortened address.
 */
export function collectHospitals(summary: RunSummary): HospitalView[] {
  const seen = new Map<string, { name?: string; malicious: boolean }>()
  const add = (address: unknown, name?: string): void => {
    if (typeof address !== 'string' || address === '') return
    if (!seen.has(address)) seen.set(address, name === undefined ? { malicious: false } : { name, malicious: false })
  }
  const nodes = (Array.isArray(summary.nodes) ? [...summary.nodes] : []).filter((n) => n !== null && typeof n === 'object')
  nodes.sort((a, b) => (finite(a.index) ?? Infinity) - (finite(b.index) ?? Infinity))
  for (const n of nodes) {
    const index = finite(n.index)
    add(n.id, typeof n.name === 'string' ? n.name : index === undefined ? undefined : `hospital-${index + 1}`)
  }
  for (const r of sortedRounds(summary)) {
    for (const a of listOf(r.accepted)) add(a)
    for (const a of listOf(r.rejected)) add(a)
    for (const a of Object.keys(recordOf(r.epsilon))) add(a)
    for (const a of Object.keys(recordOf(r.reputation))) add(a)
    for (const a of Object.keys(recordOf(r.rewards))) add(a)
  }
  for (const a of Object.keys(recordOf(summary.rewards))) add(a)
  for (const a of Object.keys(recordOf(summary.reputation))) add(a)
  const malicious = new Set(listOf(summary.attack?.maliciousNodes))
  for (const a of malicious) add(a)
  for (const n of nodes) if (n.malicious === true && typeof n.id === 'string') malicious.add(n.id)
  return [...seen.entries()].map(([address, info], i) => ({
    address,
    label: info.name ?? shortAddress(address),
    malicious: malicious.has(address),
    color: seriesColor(i),
  }))
}

/** `0x` + 40 hex digits → `0x1234…abcd`; anything else unchanged. */
export function shortAddress(address: string): string {
  return /^0x[0-9a-fA-F]{40}$/.test(address) ? `${address.slice(0, 6)}…${address.slice(-4)}` : address
}

/** Whether a round was aborted rather than finalized. */
export function isAborted(round: RoundSummary): boolean {
  return round.status === 'aborted'
}

/** Total rewards per hospital in token units: the summary's totals, else the sum over rounds. */
export function rewardTotals(summary: RunSummary): Map<string, number> | undefined {
  const totals = new Map<string, bigint | number>()
  const addAll = (record: Record<string, TokenAmount>): void => {
    for (const [address, amount] of Object.entries(record)) totals.set(address, addAmounts(totals.get(address), amount))
  }
  if (summary.rewards !== undefined && summary.rewards !== null) addAll(recordOf(summary.rewards))
  else for (const r of sortedRounds(summary)) addAll(recordOf(r.rewards))
  if (totals.size === 0) return undefined
  return new Map([...totals].map(([a, v]) => [a, typeof v === 'bigint' ? weiToTokens(v) : v]))
}

/** Final reputation per hospital: the summary's figures, else the last round that reports one. */
export function finalReputation(summary: RunSummary): Map<string, number> | undefined {
  const result = new Map<string, number>()
  const top = recordOf(summary.reputation)
  for (const [a, v] of Object.entries(top)) if (finite(v) !== undefined) result.set(a, v)
  if (result.size === 0) {
    for (const r of sortedRounds(summary)) {
      for (const [a, v] of Object.entries(recordOf(r.reputation))) if (finite(v) !== undefined) result.set(a, v)
    }
  }
  return result.size === 0 ? undefined : result
}

/**
 * Phase names with a non-zero time in some round, protocol phases first. A coordinator that lacks
 * a phase reports 0 for it; such phases are left out of the chart and its legend.
 */
export function phasesPresent(rounds: readonly RoundSummary[]): string[] {
  const present = new Set<string>()
  for (const r of rounds) for (const [k, v] of Object.entries(recordOf(r.ms))) if ((finite(v) ?? 0) > 0) present.add(k)
  const known = PHASE_ORDER.filter((p) => present.has(p))
  return [...known, ...[...present].filter((p) => !(PHASE_ORDER as readonly string[]).includes(p))]
}

/** Parses a token amount: decimal strings are wei (bigint), numbers are token units. */
export function parseAmount(amount: unknown): bigint | number | undefined {
  if (typeof amount === 'number') return Number.isFinite(amount) ? amount : undefined
  if (typeof amount === 'string' && /^\d+$/.test(amount)) return BigInt(amount)
  return undefined
}

/** Wei to token units as a float, exact to the float's precision for any realistic amount. */
export function weiToTokens(wei: bigint): number {
  return Number(wei / WEI_PER_TOKEN) + Number(wei % WEI_PER_TOKEN) / 1e18
}

/** An object's own entries, or none when the value is not a plain object. */
export function recordOf<T>(value: Record<string, T> | undefined | null): Record<string, T>
export function recordOf(value: object | undefined | null): Record<string, unknown>
export function recordOf(value: object | undefined | null): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

/** An array of strings, or none when the value is not an array. */
export function listOf(value: readonly unknown[] | undefined | null): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function addAmounts(sum: bigint | number | undefined, amount: unknown): bigint | number {
  const parsed = parseAmount(amount)
  if (parsed === undefined) return sum ?? 0
  if (sum === undefined) return parsed
  if (typeof sum === 'bigint' && typeof parsed === 'bigint') return sum + parsed
  // Mixed units: fall back to token units.
  return (typeof sum === 'bigint' ? weiToTokens(sum) : sum) + (typeof parsed === 'bigint' ? weiToTokens(parsed) : parsed)
}
