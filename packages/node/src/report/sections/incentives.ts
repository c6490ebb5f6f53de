import { renderBarChart } from '../svg/bar-chart.js'
import { renderLineChart } from '../svg/line-chart.js'
import { finite, formatNumber } from '../svg/format.js'
import { finalReputation, recordOf, rewardTotals } from '../report-model.js'
import { emptyNote, figure, section, type SectionContext } from './section.js'

/** Reputation over the rounds and at the end, and the rewards each hospital earned. */
export function renderIncentives(ctx: SectionContext): string {
  const series = ctx.hospitals
    .map((h) => ({ id: h.address, label: h.label, color: h.color, points: ctx.rounds.map((r) => ({ x: r.round, y: finite(recordOf(r.reputation)[h.address]) })) }))
    .filter((s) => s.points.some((p) => p.y !== undefined))
  const overRounds = renderLineChart({ id: 'reputation', title: 'Reputation per hospital per round', xLabel: 'Round', yLabel: 'Reputation', yDomain: { min: 0 }, series, legend: true })

  const reputation = finalReputation(ctx.summary)
  const finalBars =
    reputation === undefined
      ? ''
      : renderBarChart({
          id: 'reputation-final',
          title: 'Final reputation per hospital',
          categoryLabel: 'Hospital',
          valueLabel: 'Reputation',
          orientation: 'horizontal',
          bars: ctx.hospitals.filter((h) => reputation.has(h.address)).map((h) => ({ key: h.address, label: h.label, segments: [{ name: 'reputation', value: reputation.get(h.address) ?? 0, color: h.color }] })),
        })

  const rewards = rewardTotals(ctx.summary)
  const rewardBars =
    rewards === undefined
      ? ''
      : renderBarChart({
          id: 'rewards',
          title: 'Rewards per hospital',
          categoryLabel: 'Hospital',
          valueLabel: 'Rewards (tokens)',
          orientation: 'horizontal',
          format: formatNumber,
          bars: ctx.hospitals.filter((h) => rewards.has(h.address)).map((h) => ({ key: h.address, label: h.label, segments: [{ name: 'rewards', value: rewards.get(h.address) ?? 0, color: h.color }] })),
        })

  const figures = [
    figure(overRounds, 'Reputation score of each hospital after each round.'),
    figure(finalBars, 'Reputation at the end of the run.'),
    figure(rewardBars, 'Total rewards credited over the run, in tokens.'),
  ].filter((f) => f !== '')
  const body = figures.length === 0 ? emptyNote('No reputation or reward figures recorded (the in-memory coordinator keeps none).') : `<div class="charts">${figures.join('')}</div>`
  return section('incentives', 'Reputation and rewards', body)
}
