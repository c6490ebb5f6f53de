import { escapeHtml } from '../escape.js'
import { finite, formatPercent } from '../svg/format.js'
import { listOf } from '../report-model.js'
import { section, type SectionContext } from './section.js'

/** Who attacked, with what, and how many of their updates the committee caught. */
export function renderAttack(ctx: SectionContext): string {
  const attack = ctx.summary.attack
  const nodes = listOf(attack?.maliciousNodes)
  if (attack === undefined || attack === null || nodes.length === 0) {
    return section('attack', 'Attack', '<p class="empty">No attackers in this run.</p>')
  }
  const labels = new Map(ctx.hospitals.map((h) => [h.address, h.label]))
  const rejected = finite(attack.rejectedMalicious)
  const submitted = finite(attack.submittedMalicious)
  const rejectedHonest = finite(attack.rejectedHonest)
  const submittedHonest = finite(attack.submittedHonest)
  const rate = rejected !== undefined && submitted !== undefined && submitted > 0 ? rejected / submitted : undefined
  const rows: [string, string, Record<string, string>][] = [
    ['attack', typeof attack.attack === 'string' ? attack.attack : 'not recorded', {}],
    ['attacking nodes', `${nodes.length}`, { 'data-count': String(nodes.length) }],
    ['malicious updates submitted', submitted === undefined ? 'not recorded' : String(submitted), submitted === undefined ? {} : { 'data-value': String(submitted) }],
    ['malicious updates rejected', rejected === undefined ? 'not recorded' : String(rejected), rejected === undefined ? {} : { 'data-value': String(rejected) }],
    ['detection rate', rate === undefined ? 'n/a' : formatPercent(rate, 1), rate === undefined ? {} : { 'data-value': String(rate) }],
    [
      'honest updates rejected',
      rejectedHonest === undefined ? 'not recorded' : `${rejectedHonest}${submittedHonest === undefined ? '' : ` of ${submittedHonest}`}`,
      rejectedHonest === undefined ? {} : { 'data-value': String(rejectedHonest) },
    ],
  ]
  const table = rows
    .map(([k, v, attrs]) => `<tr><th scope="row">${escapeHtml(k)}</th><td${Object.entries(attrs).map(([a, x]) => ` ${a}="${escapeHtml(x)}"`).join('')}>${escapeHtml(v)}</td></tr>`)
    .join('')
  const list = nodes.map((a) => `<li title="${escapeHtml(a)}"><code>${escapeHtml(labels.get(a) ?? a)}</code></li>`).join('')
  return section('attack', 'Attack', `<table class="kv" data-table="attack">${table}</table><ul class="attackers">${list}</ul>`)
}
