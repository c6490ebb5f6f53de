/**
 * The run report (`report.html`) and the live node status page, both drawn from a run summary
 * with the same inline-SVG chart code.
 *
 * @example
 * ```ts
 * import { writeReport } from './report/index.js'
 * await writeReport('runs/demo/summary.json', 'runs/demo/report.html')
 * ```
 */
export { renderReport, type RenderReportOptions } from './render-report.js'
export { writeReport, readSummary, type WriteReportReturnType } from './write-report.js'
export { parseSummary } from './parse-summary.js'
export { renderStatusPage, STATUS_REFRESH_SECONDS, type NodeStatusState, type StatusPageOptions } from './status-page.js'
export { ReportSummaryInvalidError, ReportIoError } from './errors.js'
export { escapeHtml } from './escape.js'
export type {
  RunSummary,
  RoundSummary,
  PhaseTimingsMs,
  PhaseName,
  TokenAmount,
  NodeInfo,
  BaselineSummary,
  FinalSummary,
  GasSummary,
  TimingSummary,
  AttackSummary,
} from './summary-types.js'
export { renderLineChart, type LineChartParameters, type LineSeries, type ReferenceLine } from './svg/line-chart.js'
export { seriesColor } from './svg/palette.js'
