import { describe, expectTypeOf, it, expect } from 'vitest'
import { renderReport, type RunSummary } from '../../src/report/index.js'
import type { SimulationSummary } from '../../src/simulate/summary.js'
import { A, B, chartOf } from './fixtures.js'

describe('summary written by fedchain simulate', () => {
  it('is accepted by the report as it is typed', () => {
    expectTypeOf<SimulationSummary>().toExtend<RunSummary>()
  })

  it('renders with every section that has data', () => {
    const summary: SimulationSummary = {
      config: { example: 'breast-cancer', nodes: 2, rounds: 1 },
      nodes: [
        { id: A, index: 0, trainExamples: 200, testExamples: 50, classCounts: [80, 120], malicious: false },
        { id: B, index: 1, trainExamples: 180, testExamples: 45, classCounts: [90, 90], malicious: true },
      ],
      baseline: { centralizedAccuracy: 0.97, centralizedLoss: 0.1, centralizedAuc: 0.99 },
      rounds: [
        {
          round: 1,
          accuracy: 0.94,
          loss: 0.2,
          auc: 0.97,
          accepted: [A],
          rejected: [B],
          rejections: { [B]: 'norm bound' },
          epsilon: { [A]: 1.1, [B]: 1.1 },
          gasUsed: 0,
          finalizeTx: null,
          ms: { train: 700, commit: 0, share: 0, verify: 30, aggregate: 2, finalize: 0 },
        },
      ],
      final: { accuracy: 0.94, loss: 0.2, auc: 0.97, epsilonMax: 1.1, delta: 1e-5, modelCid: null, modelSha256: 'ab' },
      gas: { total: 0, perParticipantRound: 0 },
      timing: { trainMs: 700, coordinationMs: 32, baselineMs: 400, wallMs: 1500 },
      attack: { attack: 'signflip', maliciousNodes: [B], submittedMalicious: 1, rejectedMalicious: 1, submittedHonest: 1, rejectedHonest: 0 },
    }
    const html = renderReport(summary)
    for (const id of ['accuracy', 'loss', 'epsilon', 'timings', 'verdicts']) expect(chartOf(html, id)).toBeDefined()
    expect(html).toContain('hospital-2 <span class="badge">attacker</span>')
  })
})
