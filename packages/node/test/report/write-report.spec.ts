import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseSummary, renderReport, ReportIoError, ReportSummaryInvalidError, writeReport } from '../../src/report/index.js'
import { fullSummary } from './fixtures.js'

describe('writeReport', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedchain-report-test-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('renders a summary file into report.html, creating the directory', async () => {
    const summaryPath = join(dir, 'summary.json')
    await writeFile(summaryPath, JSON.stringify(fullSummary()))
    const out = join(dir, 'nested', 'report.html')
    const result = await writeReport(summaryPath, out)
    const html = await readFile(out, 'utf8')
    expect(result).toEqual({ path: out, bytes: Buffer.byteLength(html) })
    expect(html).toBe(renderReport(fullSummary()))
    expect(await readdir(join(dir, 'nested'))).toEqual(['report.html'])
  })

  it('accepts the summary object itself', async () => {
    const out = join(dir, 'report.html')
    await writeReport(fullSummary(), out)
    expect(await readFile(out, 'utf8')).toContain('data-chart="accuracy"')
  })

  it('fails with REPORT_IO naming the path when the summary is missing', async () => {
    const missing = join(dir, 'nope.json')
    const error = await writeReport(missing, join(dir, 'r.html')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReportIoError)
    expect((error as ReportIoError).code).toBe('REPORT_IO')
    expect((error as ReportIoError).shortMessage).toBe(`could not read ${missing} (ENOENT)`)
  })

  it('fails with REPORT_SUMMARY_INVALID on a file that is not JSON, and writes nothing', async () => {
    const bad = join(dir, 'summary.json')
    await writeFile(bad, '{ "rounds": [')
    const error = await writeReport(bad, join(dir, 'r.html')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReportSummaryInvalidError)
    expect((error as ReportSummaryInvalidError).code).toBe('REPORT_SUMMARY_INVALID')
    expect(await readdir(dir)).toEqual(['summary.json'])
  })
})

describe('parseSummary', () => {
  it('names what is wrong with a value that is not a summary', () => {
    const messages = [null, [], { rounds: 3 }, { rounds: [{ round: '1' }] }].map((v) => {
      try {
        parseSummary(v, 'x.json')
        return 'accepted'
      } catch (e) {
        return (e as ReportSummaryInvalidError).shortMessage
      }
    })
    expect(messages).toMatchInlineSnapshot(`
      [
        "x.json is not a run summary: expected a JSON object, got null",
        "x.json is not a run summary: expected a JSON object, got an array",
        "x.json is not a run summary: it has no "rounds" array",
        "x.json is not a run summary: rounds[0] has no numeric "round"",
      ]
    `)
  })
})
