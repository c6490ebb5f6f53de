import { sectionContext } from './render-report.js'
import { renderAttack } from './sections/attack.js'
import { renderCosts } from './sections/costs.js'
import { renderIncentives } from './sections/incentives.js'
import { renderOverview } from './sections/overview.js'
import { renderPerformance } from './sections/performance.js'
import { renderPrivacy } from './sections/privacy.js'
import { renderVerdicts } from './sections/verdicts.js'
import type { RunSummary } from './summary-types.js'

/** The run report's chart sections for a run still in progress (no final metrics, no config). */
export function renderSectionsFor(summary: RunSummary): string {
  const ctx = sectionContext(summary)
  const sections = [renderOverview(ctx), renderPerformance(ctx), renderPrivacy(ctx), renderIncentives(ctx), renderVerdicts(ctx), renderCosts(ctx)]
  if (summary.attack !== undefined) sections.push(renderAttack(ctx))
  return sections.join('\n')
}
