import { renderLineChart } from '../svg/line-chart.js'
import { finite, formatNumber } from '../svg/format.js'
import { recordOf } from '../report-model.js'
import { emptyNote, figure, section, type SectionContext } from './section.js'

/** Cumulative ε spent by each hospital over the rounds (record-level DP). */
export function renderPrivacy(ctx: SectionContext): string {
  const series = ctx.hospitals
    .map((h) => ({
      id: h.address,
      label: h.label,
      color: h.color,
      points: ctx.rounds.map((r) => ({ x: r.round, y: finite(recordOf(r.epsilon)[h.address]) })),
    }))
    .filter((s) => s.points.some((p) => p.y !== undefined))
  const chart = renderLineChart({ id: 'epsilon', title: 'Privacy budget spent (ε) per hospital', xLabel: 'Round', yLabel: 'ε spent', yFormat: formatNumber, yDomain: { min: 0 }, series, legend: true })
  const delta = finite(ctx.summary.final?.delta)
  const caption = `Cumulative ε of each hospital's record-level DP after each round${delta === undefined ? '' : ` (δ = ${formatNumber(delta)})`}.`
  return section('privacy', 'Privacy (ε per hospital)', chart === '' ? emptyNote('No ε figures recorded (differential privacy off, or no round yet).') : `<div class="charts">${figure(chart, caption)}</div>`)
}
