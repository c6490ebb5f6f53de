import { mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// The report module is not part of @fedchain/node's public entry yet; the source is the contract.
import { writeReport, type RunSummary } from '../../node/src/report/index.js'
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumMissingReason } from './chromium.js'

const fixturePath = fileURLToPath(new URL('./fixtures/summary-breast-cancer.json', import.meta.url))
// Both land in the git-ignored screenshots/ folder so a person can open what the test saw.
const reportPath = fileURLToPath(new URL('../screenshots/report.html', import.meta.url))
const screenshotPath = fileURLToPath(new URL('../screenshots/report.png', import.meta.url))
const missing = chromiumMissingReason()
if (missing !== undefined) console.warn(`[report-browser-test] skipped: ${missing}`)

describe.skipIf(missing !== undefined)('run report in headless Chromium', () => {
  let summary: RunSummary
  let browser: Browser
  let page: Page
  const externalRequests: string[] = []
  const consoleErrors: string[] = []

  beforeAll(async () => {
    summary = JSON.parse(await readFile(fixturePath, 'utf8')) as RunSummary
    const { path } = await writeReport(fixturePath, reportPath)
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] })
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text())
    })
    // A self-contained report loads nothing but itself; anything else is recorded and refused.
    await page.route('**/*', async (route) => {
      const url = route.request().url()
      if (url.startsWith('file:')) return route.continue()
      externalRequests.push(url)
      return route.abort()
    })
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
  })

  it('loads without network requests or console errors', () => {
    expect(externalRequests).toEqual([])
    expect(consoleErrors).toEqual([])
  })

  it('lays out every chart with a non-zero size', async () => {
    const charts = page.locator('svg.chart')
    const ids = await charts.evaluateAll((els) => els.map((e) => e.getAttribute('data-chart')))
    expect(ids).toEqual(expect.arrayContaining(['accuracy', 'loss', 'epsilon', 'reputation', 'reputation-final', 'rewards', 'gas', 'timings']))
    for (const chart of await charts.all()) {
      const box = await chart.boundingBox()
      expect(box?.width ?? 0).toBeGreaterThan(100)
      expect(box?.height ?? 0).toBeGreaterThan(100)
    }
  })

  it('draws one point per round on the accuracy and loss lines, at the summary values', async () => {
    for (const id of ['accuracy', 'loss'] as const) {
      const points = await page.locator(`svg[data-chart="${id}"] g.series polyline`).getAttribute('points')
      expect(points?.trim().split(/\s+/)).toHaveLength(summary.rounds.length)
      const ys = await page.locator(`svg[data-chart="${id}"] g.series circle`).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-y'))))
      expect(ys).toEqual(summary.rounds.map((r) => r[id]))
    }
    const baseline = page.locator('svg[data-chart="accuracy"] g.reference')
    expect(Number(await baseline.getAttribute('data-value'))).toBe(summary.baseline?.centralizedAccuracy)
    expect((await baseline.locator('line').boundingBox())?.width ?? 0).toBeGreaterThan(100)
  })

  it('draws an ε line per hospital with a point per round and names each hospital in the legend', async () => {
    const nodes = summary.nodes ?? []
    const series = page.locator('svg[data-chart="epsilon"] g.series')
    expect(await series.count()).toBe(nodes.length)
    for (const node of nodes) {
      const line = page.locator(`svg[data-chart="epsilon"] g.series[data-series-id="${node.id}"] polyline`)
      expect((await line.getAttribute('points'))?.trim().split(/\s+/)).toHaveLength(summary.rounds.length)
      const legend = page.locator(`svg[data-chart="epsilon"] g.legend-item[data-series-id="${node.id}"]`)
      expect(await legend.locator('text').textContent()).toBe(`hospital-${(node.index ?? NaN) + 1}`)
      expect(await legend.locator('text').isVisible()).toBe(true)
    }
  })

  it('shows the final accuracy and the attack outcome as text', async () => {
    const final = summary.final?.accuracy ?? NaN
    expect(await page.locator('[data-metric="final-accuracy"] .card-value').innerText()).toBe(`${(final * 100).toFixed(2)}%`)
    const rejected = page.locator('table[data-chart="verdicts"] td[data-state="rejected"]')
    const expectedRejected = summary.rounds.reduce((n, r) => n + (r.rejected?.length ?? 0), 0)
    expect(await rejected.count()).toBe(expectedRejected)
    expect(await page.locator('table[data-table="attack"]').innerText()).toContain('signflip')
  })

  it('stacks one bar per round for the phase timings', async () => {
    const bars = page.locator('svg[data-chart="timings"] g.bar')
    expect(await bars.count()).toBe(summary.rounds.length)
    const first = summary.rounds[0]?.ms ?? {}
    const total = Object.values(first).reduce((a, b) => a + b, 0)
    expect(Number(await bars.first().getAttribute('data-total'))).toBe(total)
    expect((await bars.first().boundingBox())?.height ?? 0).toBeGreaterThan(10)
  })

  it('saves a full-page screenshot', async () => {
    await mkdir(dirname(screenshotPath), { recursive: true })
    const png = await page.screenshot({ path: screenshotPath, fullPage: true })
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
  })
})
