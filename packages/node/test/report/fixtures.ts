import type { RunSummary } from '../../src/report/index.js'

export const A = '0x1111111111111111111111111111111111111111'
export const B = '0x2222222222222222222222222222222222222222'
export const C = '0x3333333333333333333333333333333333333333'

/** A three-hospital, three-round chain run with one attacker (C) and every optional field. */
export function fullSummary(): RunSummary {
  return {
    config: { example: 'breast-cancer', nodes: 3, rounds: 3, strategy: 'fedavg', dp: 8, training: { epochs: 1, clipNorm: 1.5 } },
    baseline: { centralizedAccuracy: 0.98, centralizedLoss: 0.08 },
    nodes: [
      { id: A, index: 0, name: 'st-mary' },
      { id: B, index: 1, name: 'county' },
      { id: C, index: 2, name: 'mallory', malicious: true },
    ],
    rounds: [1, 2, 3].map((round) => ({
      round,
      accuracy: [0.9, 0.93, 0.951][round - 1] as number,
      loss: [0.3, 0.2, 0.15][round - 1] as number,
      accepted: [A, B],
      rejected: [C],
      rejections: { [C]: 'norm bound exceeded' },
      epsilon: { [A]: 1.25 * round, [B]: 1.5 * round, [C]: 1.75 * round },
      reputation: { [A]: 0.5 + 0.1 * round, [B]: 0.5 + 0.05 * round, [C]: 0.5 - 0.15 * round },
      rewards: { [A]: '3000000000000000000', [B]: '1500000000000000000', [C]: '0' },
      gasUsed: 400_000 + round * 1000,
      finalizeTx: `0x${String(round).repeat(64)}`,
      ms: { train: 800, commit: 40, share: 30, verify: 60, aggregate: 5, finalize: 40 + round },
    })),
    final: { accuracy: 0.951, auc: 0.987, epsilonMax: 5.25, delta: 1e-5, modelCid: 'bafkreitest' },
    gas: { total: 1_206_000, perParticipantRound: 134_000 },
    timing: { trainMs: 2400, coordinationMs: 531, wallMs: 3200 },
    attack: { attack: 'signflip', maliciousNodes: [C], rejectedMalicious: 3, submittedMalicious: 3, rejectedHonest: 0 },
  }
}

/** What the in-memory coordinator writes: no chain, no verdicts, no DP. */
export function memorySummary(): RunSummary {
  return {
    config: { example: 'digits', coordinator: 'memory' },
    rounds: [
      { round: 1, accuracy: 0.7, loss: 0.9 },
      { round: 2, accuracy: 0.8, loss: 0.6 },
    ],
    final: { accuracy: 0.8 },
  }
}

/** Attributes of every element whose opening tag matches `selector` (a tag name plus attribute=value). */
export function findTags(html: string, tag: string, attr?: [string, string]): string[] {
  const re = new RegExp(`<${tag}\\b[^>]*>`, 'g')
  return [...html.matchAll(re)].map((m) => m[0]).filter((t) => attr === undefined || t.includes(`${attr[0]}="${attr[1]}"`))
}

/** The value of `name` in an opening tag. */
export function attrOf(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]
}

/** The markup of the `<svg>` whose data-chart is `id`, or undefined. */
export function chartOf(html: string, id: string): string | undefined {
  const start = html.indexOf(`data-chart="${id}"`)
  if (start === -1) return undefined
  const open = html.lastIndexOf('<', start)
  const tag = html.slice(open + 1, html.indexOf(' ', open))
  const end = html.indexOf(`</${tag}>`, start)
  return html.slice(open, end + tag.length + 3)
}
