import { collectHospitals, sortedRounds } from './report-model.js'
import { renderPage } from './page.js'
import { renderAttack } from './sections/attack.js'
import { renderCosts } from './sections/costs.js'
import { renderIncentives } from './sections/incentives.js'
import { renderOverview } from './sections/overview.js'
import { renderPerformance } from './sections/performance.js'
import { renderPrivacy } from './sections/privacy.js'
import type { SectionContext } from './sections/section.js'
import { renderConfig, renderFinalMetrics } from './sections/tables.js'
import { renderVerdicts } from './sections/verdicts.js'
import type { RunSummary } from './summary-types.js'

/** Options of {@link renderReport}. */
export interface RenderReportOptions {
  /** Page title. @default 'fedchain run report' */
  title?: string
  /** Shown in the footer; left out by default so the same summary always gives the same bytes. */
  generatedAt?: Date
}

/**
 * Renders a run summary as one self-contained HTML page: inline CSS and inline SVG charts, no
 * scripts, no fonts, nothing fetched. Sections whose data the summary lacks say so instead of
 * failing. Every string from the summary is HTML-escaped; every chart carries its numbers in
 * `data-*` attributes and `<title>` tooltips.
 *
 * @param summary - the parsed `summary.json` (see {@link parseSummary} for untrusted input)
 * @returns the HTML document
 * @example
 * ```ts
 * const html = renderReport(JSON.parse(await readFile('runs/demo/summary.json', 'utf8')))
 * ```
 */
export function renderReport(summary: RunSummary, options: RenderReportOptions = {}): string {
  const ctx = sectionContext(summary)
  const body = [
    renderOverview(ctx),
    renderPerformance(ctx),
    renderPrivacy(ctx),
    renderIncentives(ctx),
    renderVerdicts(ctx),
    renderCosts(ctx),
    renderAttack(ctx),
    renderFinalMetrics(ctx),
    renderConfig(ctx),
  ].join('\n')
  return renderPage({
    title: options.title ?? 'fedchain run report',
    subtitle: describeRun(summary, ctx),
    body,
    footer: `fedchain run report${options.generatedAt === undefined ? '' : ` · generated ${options.generatedAt.toISOString()}`}`,
  })
}

/** The derived view every section shares. */
export function sectionContext(summary: RunSummary): SectionContext {
  return { summary, rounds: sortedRounds(summary), hospitals: collectHospitals(summary) }
}

// "breast-cancer · 5 hospitals · 10 rounds · fedavg · DP ε = 8" from whatever the config holds.
function describeRun(summary: RunSummary, ctx: SectionContext): string {
  const config = summary.config ?? {}
  const pick = (...keys: string[]): string | undefined => {
    for (const k of keys) {
      const v = config[k]
      if (typeof v === 'string' || typeof v === 'number') return String(v)
    }
    return undefined
  }
  const parts = [
    pick('example', 'data', 'dataset', 'task'),
    `${ctx.hospitals.length} hospitals`,
    `${ctx.rounds.length} rounds`,
    pick('strategy'),
    pick('partition'),
  ]
  const dp = pick('dp', 'epsilon')
  if (dp !== undefined) parts.push(dp === 'off' ? 'DP off' : `DP ε = ${dp}`)
  return parts.filter((p): p is string => p !== undefined).join(' · ')
}
