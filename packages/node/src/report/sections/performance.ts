import { renderLineChart, type ReferenceLine } from '../svg/line-chart.js'
import { finite, formatNumber, formatPercent } from '../svg/format.js'
import { emptyNote, figure, section, type SectionContext } from './section.js'

const MODEL_COLOR = '#4e79a7'
const BASELINE_COLOR = '#7f7f7f'

/** Accuracy and loss of the global model per round, each against the centralized baseline. */
export function renderPerformance(ctx: SectionContext): string {
  const baseline = ctx.summary.baseline ?? {}
  const accuracyRefs: ReferenceLine[] = []
  const baselineAccuracy = finite(baseline.centralizedAccuracy)
  if (baselineAccuracy !== undefined) accuracyRefs.push({ id: 'baseline', label: 'centralized baseline', value: baselineAccuracy, color: BASELINE_COLOR })
  const lossRefs: ReferenceLine[] = []
  const baselineLoss = finite(baseline.centralizedLoss)
  if (baselineLoss !== undefined) lossRefs.push({ id: 'baseline', label: 'centralized baseline', value: baselineLoss, color: BASELINE_COLOR })

  const accuracy = renderLineChart({
    id: 'accuracy',
    title: 'Global model accuracy per round',
    xLabel: 'Round',
    yLabel: 'Accuracy',
    yFormat: (v) => formatPercent(v, 1),
    series: [{ id: 'federated', label: 'federated model', color: MODEL_COLOR, points: ctx.rounds.map((r) => ({ x: r.round, y: finite(r.accuracy) })) }],
    references: accuracyRefs,
    legend: true,
  })
  const loss = renderLineChart({
    id: 'loss',
    title: 'Global model loss per round',
    xLabel: 'Round',
    yLabel: 'Loss',
    yFormat: formatNumber,
    series: [{ id: 'federated', label: 'federated model', color: MODEL_COLOR, points: ctx.rounds.map((r) => ({ x: r.round, y: finite(r.loss) })) }],
    references: lossRefs,
    legend: true,
  })
  const body =
    accuracy === '' && loss === ''
      ? emptyNote('No round has reported accuracy or loss yet.')
      : `<div class="charts">${figure(accuracy, 'Accuracy on the evaluation set after each round; dashed: the same model trained on the pooled data.')}` +
        `${figure(loss, 'Loss on the evaluation set after each round.')}</div>`
  return section('performance', 'Accuracy and loss', body)
}
