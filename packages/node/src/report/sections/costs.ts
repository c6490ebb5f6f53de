import { renderBarChart } from '../svg/bar-chart.js'
import { finite, formatInteger, formatMs, formatNumber } from '../svg/format.js'
import { phasesPresent, recordOf } from '../report-model.js'
import { PHASE_COLORS, seriesColor } from '../svg/palette.js'
import { emptyNote, figure, section, type SectionContext } from './section.js'

/** Gas per round and time per round phase (stacked). */
export function renderCosts(ctx: SectionContext): string {
  // The in-memory coordinator reports 0 gas: a chart of zeros says less than "no chain".
  const gasRounds = ctx.rounds.some((r) => (finite(r.gasUsed) ?? 0) > 0) ? ctx.rounds.filter((r) => finite(r.gasUsed) !== undefined) : []
  const gas = renderBarChart({
    id: 'gas',
    title: 'Gas used per round',
    categoryLabel: 'Round',
    valueLabel: 'Gas',
    format: formatNumber,
    bars: gasRounds.map((r) => ({ key: String(r.round), label: String(r.round), segments: [{ name: 'gas', value: r.gasUsed as number, color: '#9c755f' }] })),
  })
  const totalGas = finite(ctx.summary.gas?.total)
  const perParticipant = finite(ctx.summary.gas?.perParticipantRound)
  const gasCaption =
    'Gas of all transactions of each round.' +
    (totalGas === undefined ? '' : ` Total ${formatInteger(totalGas)}.`) +
    (perParticipant === undefined ? '' : ` Per participant and round ${formatInteger(perParticipant)}.`)

  const phases = phasesPresent(ctx.rounds)
  const timingRounds = phases.length === 0 ? [] : ctx.rounds.filter((r) => Object.values(recordOf(r.ms)).some((v) => finite(v) !== undefined))
  const timings = renderBarChart({
    id: 'timings',
    title: 'Time per round phase',
    categoryLabel: 'Round',
    valueLabel: 'Time',
    format: formatMs,
    legend: phases.map((p, i) => ({ id: p, label: p, color: PHASE_COLORS[p] ?? seriesColor(i) })),
    bars: timingRounds.map((r) => ({
      key: String(r.round),
      label: String(r.round),
      segments: phases.map((p, i) => ({ name: p, value: finite(recordOf(r.ms)[p]) ?? 0, color: PHASE_COLORS[p] ?? seriesColor(i) })),
    })),
  })

  const body =
    `<div class="charts">${gas === '' ? emptyNote('No gas figures recorded (no chain in this run).') : figure(gas, gasCaption)}` +
    `${timings === '' ? emptyNote('No phase timings recorded.') : figure(timings, 'Wall-clock time of each phase, stacked per round.')}</div>`
  return section('costs', 'Gas and phase timings', body)
}
