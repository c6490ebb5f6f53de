import { ReportSummaryInvalidError } from './errors.js'
import type { RunSummary } from './summary-types.js'

/**
 * Checks that a parsed JSON value has the one thing the report cannot do without, a `rounds` array,
 * and returns it typed. Everything else is optional and checked field by field while rendering.
 *
 * @param value - parsed `summary.json`
 * @param source - where it came from, for the error message
 * @throws {@link ReportSummaryInvalidError} when `value` is not an object with a `rounds` array
 */
export function parseSummary(value: unknown, source = 'the summary'): RunSummary {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ReportSummaryInvalidError(source, `expected a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`)
  }
  const rounds = (value as { rounds?: unknown }).rounds
  if (!Array.isArray(rounds)) throw new ReportSummaryInvalidError(source, 'it has no "rounds" array')
  const bad = rounds.findIndex((r: unknown) => r === null || typeof r !== 'object' || typeof (r as { round?: unknown }).round !== 'number')
  if (bad !== -1) throw new ReportSummaryInvalidError(source, `rounds[${bad}] has no numeric "round"`)
  return value as RunSummary
}
