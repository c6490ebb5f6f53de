import { renderHeatTable, type HeatCell } from '../svg/heat-table.js'
import { isAborted, listOf, recordOf } from '../report-model.js'
import type { RoundSummary } from '../summary-types.js'
import { emptyNote, section, type SectionContext } from './section.js'

/** The committee's verdict on every hospital's update in every round (hospital × round). */
export function renderVerdicts(ctx: SectionContext): string {
  const hasVerdicts = ctx.rounds.some((r) => Array.isArray(r.accepted) || Array.isArray(r.rejected))
  if (!hasVerdicts || ctx.hospitals.length === 0) {
    return section('verdicts', 'Accepted and rejected updates', emptyNote('No accepted/rejected sets recorded for this run.'))
  }
  const byRound = new Map<number, RoundSummary>(ctx.rounds.map((r) => [r.round, r]))
  const table = renderHeatTable({
    id: 'verdicts',
    caption: 'Committee verdict per hospital and round',
    corner: 'hospital',
    rows: ctx.hospitals.map((h) => ({ key: h.address, label: h.label, title: h.address, ...(h.malicious ? { badge: 'attacker' } : {}) })),
    columns: ctx.rounds.map((r) => ({ key: String(r.round), label: String(r.round), title: `round ${r.round}` })),
    cell: (row, col): HeatCell => {
      const round = byRound.get(Number(col.key))
      const where = `${row.label}, round ${col.key}`
      if (round === undefined) return { text: '', title: where, state: 'unknown' }
      if (isAborted(round)) return { text: '–', title: `${where}: round aborted`, state: 'aborted' }
      if (listOf(round.rejected).includes(row.key)) {
        const reason = recordOf(round.rejections)[row.key]
        return { text: '✗', title: `${where}: rejected${typeof reason === 'string' ? ` (${reason})` : ''}`, state: 'rejected' }
      }
      if (listOf(round.accepted).includes(row.key)) return { text: '✓', title: `${where}: accepted`, state: 'accepted' }
      if (!Array.isArray(round.accepted) && !Array.isArray(round.rejected)) return { text: '?', title: `${where}: not recorded`, state: 'unknown' }
      return { text: '·', title: `${where}: no update`, state: 'absent' }
    },
  })
  const legend =
    '<p class="key"><span class="cell-accepted">✓</span> accepted <span class="cell-rejected">✗</span> rejected ' +
    '<span class="cell-absent">·</span> no update <span class="cell-aborted">–</span> round aborted</p>'
  return section('verdicts', 'Accepted and rejected updates', `<div class="table-scroll">${table}</div>${legend}`)
}
