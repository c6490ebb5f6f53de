import { describe, expect, it } from 'vitest'
import { phasesFromDaemonLogs } from '../../src/simulate/daemon-phases.js'

const at = (ms: number) => new Date(Date.UTC(2026, 10, 25, 12, 0, 0) + ms).toISOString()
const line = (ms: number, msg: string, fields: Record<string, unknown> = {}) => JSON.stringify({ time: at(ms), level: 'info', msg, node: 'h', taskId: '1', round: 3, ...fields })
const launchedAt = Date.parse(at(0))

describe('phasesFromDaemonLogs', () => {
  it('cuts the round where the last daemon committed, shared and submitted its verdict', () => {
    const h1 = [line(100, 'trained', { ms: 90 }), line(150, 'committed'), line(400, 'shared'), line(900, 'verdict submitted')].join('\n')
    const h2 = [line(250, 'trained', { ms: 240 }), line(300, 'committed'), line(500, 'shared'), line(1000, 'verdict submitted')].join('\n')
    const phases = phasesFromDaemonLogs([h1, h2], { taskId: '1', round: 3, launchedAt, endedAt: launchedAt + 1200 })
    expect(phases).toEqual({ train: 240, commit: 60, share: 200, verify: 500, aggregate: 0, finalize: 200 })
    expect(Object.values(phases).reduce((a, b) => a + b, 0)).toBe(1200)
  })

  it("ignores other rounds, other tasks, text lines and a restarted daemon's earlier lines of other rounds", () => {
    const log = [
      line(-5000, 'committed', { round: 2 }),
      'not json',
      line(50, 'committed', { taskId: '2' }),
      line(80, 'trained', { ms: 70 }),
      line(100, 'committed'),
      '{"broken',
      line(200, 'shared'),
    ].join('\n')
    // No verdict logged (the node is not on the committee): verify takes no time, the rest is finalize.
    expect(phasesFromDaemonLogs([log], { taskId: '1', round: 3, launchedAt, endedAt: launchedAt + 700 })).toEqual({ train: 70, commit: 30, share: 100, verify: 0, aggregate: 0, finalize: 500 })
  })
})
