import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { writeBytesAtomic } from '../util/atomic-bytes.js'
import { PUBLIC_DIRECTORY_MODE, PUBLIC_FILE_MODE } from '../util/modes.js'
import { ReportIoError, ReportSummaryInvalidError } from './errors.js'
import { parseSummary } from './parse-summary.js'
import { renderReport, type RenderReportOptions } from './render-report.js'
import type { RunSummary } from './summary-types.js'

/** What {@link writeReport} wrote. */
export interface WriteReportReturnType {
  /** Absolute path of the report. */
  path: string
  /** Size of the report in bytes. */
  bytes: number
}

/**
 * Renders a summary to an HTML file. The file is written beside its final name and renamed over
 * it, so a reader (or a browser refreshing the page) never sees half a report.
 *
 * @param source - path of a `summary.json`, or the summary itself
 * @param outPath - where to write the report, e.g. `<out>/report.html`; parent directories are created
 * @throws {@link ReportIoError} when the summary cannot be read or the report cannot be written
 * @throws {@link ReportSummaryInvalidError} when the file is not JSON or not a run summary
 * @example
 * ```ts
 * await writeReport('runs/demo/summary.json', 'runs/demo/report.html')
 * ```
 */
export async function writeReport(source: string | RunSummary, outPath: string, options: RenderReportOptions = {}): Promise<WriteReportReturnType> {
  const summary = typeof source === 'string' ? await readSummary(source) : parseSummary(source)
  const html = renderReport(summary, options)
  const path = resolve(outPath)
  try {
    await writeBytesAtomic(path, new TextEncoder().encode(html), PUBLIC_FILE_MODE, PUBLIC_DIRECTORY_MODE)
  } catch (error) {
    throw new ReportIoError(path, 'write', error)
  }
  return { path, bytes: Buffer.byteLength(html) }
}

/**
 * Reads and checks a `summary.json`.
 *
 * @throws {@link ReportIoError} when the file cannot be read
 * @throws {@link ReportSummaryInvalidError} when it is not JSON or not a run summary
 */
export async function readSummary(path: string): Promise<RunSummary> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new ReportIoError(path, 'read', error)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new ReportSummaryInvalidError(path, `it is not valid JSON (${(error as Error).message})`, error)
  }
  return parseSummary(value, path)
}
