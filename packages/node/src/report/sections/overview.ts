import { escapeHtml } from '../escape.js'
import { finite, formatInteger, formatMs, formatNumber, formatPercent } from '../svg/format.js'
import { isAborted } from '../report-model.js'
import type { SectionContext } from './section.js'

interface Card {
  key: string
  label: string
  value: string
  /** Raw number for `data-value`, when the card shows one. */
  raw?: number
  note?: string
}

/** The headline figures as cards at the top of the page. */
export function renderOverview(ctx: SectionContext): string {
  const final = ctx.summary.final ?? {}
  const lastWithAccuracy = [...ctx.rounds].reverse().find((r) => finite(r.accuracy) !== undefined)
  const finalAccuracy = finite(final.accuracy)
  // A run in progress (the status page) has no final figures yet: show the latest round's.
  const accuracy = finalAccuracy ?? finite(lastWithAccuracy?.accuracy)
  const baseline = finite(ctx.summary.baseline?.centralizedAccuracy)
  const cards: Card[] = []
  if (accuracy !== undefined) {
    const gap = baseline === undefined ? undefined : `${((accuracy - baseline) * 100).toFixed(2)} pp vs centralized`
    const label = finalAccuracy === undefined ? `accuracy after round ${lastWithAccuracy?.round ?? '?'}` : 'final accuracy'
    cards.push({ key: finalAccuracy === undefined ? 'latest-accuracy' : 'final-accuracy', label, value: formatPercent(accuracy), raw: accuracy, ...(gap === undefined ? {} : { note: gap }) })
  }
  if (baseline !== undefined) cards.push({ key: 'baseline-accuracy', label: 'centralized baseline', value: formatPercent(baseline), raw: baseline })
  const auc = finite(final.auc)
  if (auc !== undefined) cards.push({ key: 'auc', label: 'AUC', value: auc.toFixed(3), raw: auc })
  const epsilonMax = finite(final.epsilonMax)
  const delta = finite(final.delta)
  if (epsilonMax !== undefined) cards.push({ key: 'epsilon-max', label: 'max ε spent', value: formatNumber(epsilonMax), raw: epsilonMax, ...(delta === undefined ? {} : { note: `δ = ${formatNumber(delta)}` }) })
  const aborted = ctx.rounds.filter(isAborted).length
  cards.push({ key: 'rounds', label: 'rounds', value: String(ctx.rounds.length - aborted), raw: ctx.rounds.length - aborted, note: aborted === 0 ? 'finalized' : `finalized, ${aborted} aborted` })
  cards.push({ key: 'hospitals', label: 'hospitals', value: String(ctx.hospitals.length), raw: ctx.hospitals.length })
  const gas = finite(ctx.summary.gas?.total)
  if (gas !== undefined) cards.push({ key: 'gas-total', label: 'gas total', value: formatInteger(gas), raw: gas })
  const wall = finite(ctx.summary.timing?.wallMs)
  if (wall !== undefined) cards.push({ key: 'wall-time', label: 'wall time', value: formatMs(wall), raw: wall })

  const html = cards.map(
    (c) =>
      `<div class="card" data-metric="${escapeHtml(c.key)}"${c.raw === undefined ? '' : ` data-value="${c.raw}"`}>` +
      `<div class="card-label">${escapeHtml(c.label)}</div><div class="card-value">${escapeHtml(c.value)}</div>` +
      `${c.note === undefined ? '' : `<div class="card-note">${escapeHtml(c.note)}</div>`}</div>`,
  )
  return `<div class="cards" data-section="overview">${html.join('')}</div>`
}
