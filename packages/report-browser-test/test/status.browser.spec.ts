import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderStatusPage, type NodeStatusState, type RunSummary } from '../../node/src/report/index.js'
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumMissingReason } from './chromium.js'

const fixturePath = fileURLToPath(new URL('./fixtures/summary-breast-cancer.json', import.meta.url))
const pagePath = fileURLToPath(new URL('../screenshots/status.html', import.meta.url))
const screenshotPath = fileURLToPath(new URL('../screenshots/status.png', import.meta.url))
const missing = chromiumMissingReason()

describe.skipIf(missing !== undefined)('live status page in headless Chromium', () => {
  let browser: Browser
  let page: Page
  let summary: RunSummary

  beforeAll(async () => {
    const full = JSON.parse(await readFile(fixturePath, 'utf8')) as RunSummary
    // A node in round 7 of 10: it has seen six finalized rounds and no final figures yet.
    summary = { config: full.config, nodes: full.nodes, baseline: full.baseline, attack: full.attack, rounds: full.rounds.slice(0, 6) }
    const node = full.nodes?.[0]
    const state: NodeStatusState = {
      node: { address: node?.id ?? '', name: 'hospital-1', peerId: '12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN' },
      phase: 'training',
      round: 7,
      taskId: '1',
      peers: 4,
      epsilon: { spent: summary.rounds.at(-1)?.epsilon?.[node?.id ?? ''] ?? 0, budget: 8, delta: 1e-5 },
      reputation: summary.rounds.at(-1)?.reputation?.[node?.id ?? ''] ?? 0,
      rewards: '21000000000000000000',
      updatedAt: '2026-11-25T17:40:00.000Z',
      summary,
    }
    await mkdir(dirname(pagePath), { recursive: true })
    // An hour between reloads keeps the page still while the test reads it.
    await writeFile(pagePath, renderStatusPage(state, { refreshSeconds: 3600 }))
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] })
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await page.goto(pathToFileURL(pagePath).href, { waitUntil: 'load' })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
  })

  it('shows the node phase and round, and reloads itself', async () => {
    expect(await page.locator('[data-phase]').innerText()).toBe('training')
    expect(await page.locator('td[data-key="round"]').innerText()).toBe('7')
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute('content')).toBe('3600')
  })

  it('draws the run report charts for the rounds seen so far', async () => {
    for (const id of ['accuracy', 'epsilon', 'reputation', 'timings']) {
      const chart = page.locator(`svg[data-chart="${id}"]`)
      expect((await chart.boundingBox())?.width ?? 0).toBeGreaterThan(100)
    }
    const points = await page.locator('svg[data-chart="accuracy"] g.series polyline').getAttribute('points')
    expect(points?.trim().split(/\s+/)).toHaveLength(summary.rounds.length)
    const latest = summary.rounds.at(-1)?.accuracy ?? NaN
    expect(await page.locator('[data-metric="latest-accuracy"] .card-value').innerText()).toBe(`${(latest * 100).toFixed(2)}%`)
    await mkdir(dirname(screenshotPath), { recursive: true })
    await page.screenshot({ path: screenshotPath, fullPage: true })
  })
})
