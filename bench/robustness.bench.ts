// Robustness and heterogeneity: accuracy and rejection rates against the attacker fraction
// (0–40%) per aggregation strategy, accuracy against the Dirichlet label-skew α, and the full
// protocol's round latency against the model size.
// Run: node bench/robustness.bench.ts [attackers] [alpha] [size]   (after `pnpm -s build`)
// Writes bench/results/robustness.json and bench/results/robustness-attackers.svg.
// The attacker and α sweeps use the memory coordinator: the full protocol computes the same
// models bit for bit (test/protocol), only slower.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderLineChart, seriesColor, simulate } from '@fedchain/node'

const here = dirname(fileURLToPath(import.meta.url))
const resultsPath = join(here, 'results', 'robustness.json')
const wanted = process.argv.slice(2)
const runs = (name: string) => wanted.length === 0 || wanted.includes(name)
const previous = existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>) : {}
const results: Record<string, unknown> = { ...previous, machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, date: new Date().toISOString() }
const seeds = [1, 2, 3]
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

if (runs('attackers')) {
  const strategies: { label: string; strategy: string; verify: boolean }[] = [
    { label: 'FedAvg, no verification', strategy: 'fedavg', verify: false },
    { label: 'FedAvg + committee verification (default)', strategy: 'fedavg', verify: true },
    { label: 'coordinate median', strategy: 'median', verify: false },
    { label: 'trimmed mean', strategy: 'trimmed-mean', verify: false },
    // Told the true attacker fraction (`--byzantine`), as the Krum papers evaluate it.
    { label: 'Multi-Krum', strategy: 'multi-krum', verify: false },
  ]
  const rows: Record<string, unknown>[] = []
  for (const attack of ['sign-flip', 'scale']) {
    for (const { label, strategy, verify } of strategies) {
      for (const fraction of [0, 0.1, 0.2, 0.3, 0.4]) {
        const acc: number[] = []
        let mal = 0, malSubmitted = 0, honest = 0, honestSubmitted = 0
        for (const seed of seeds) {
          const options = { source: { example: 'breast-cancer' as const }, nodes: 10, rounds: 10, seed, partition: { kind: 'iid' as const }, strategy, verify, byzantineFraction: fraction, ...(fraction > 0 ? { malicious: { fraction, attack } } : {}) }
          const s = await simulate.runSimulation({ options })
          acc.push(s.final.accuracy)
          mal += s.attack.rejectedMalicious
          malSubmitted += s.attack.submittedMalicious
          honest += s.attack.rejectedHonest
          honestSubmitted += s.attack.submittedHonest
        }
        const row = { attack, defense: label, fraction, accuracy: +mean(acc).toFixed(4), maliciousRejected: malSubmitted === 0 ? null : +(mal / malSubmitted).toFixed(3), honestRejected: +(honest / Math.max(1, honestSubmitted)).toFixed(3) }
        rows.push(row)
        console.log(JSON.stringify(row))
      }
    }
  }
  results['attackers'] = { setting: 'breast-cancer, 10 hospitals, IID, 10 rounds, seeds 1–3 (mean); Multi-Krum assumes the true attacker fraction; rejection = rejected / submitted updates', rows }
  const svg = renderLineChart({
    id: 'accuracy-vs-attackers',
    title: 'Accuracy against the sign-flip attacker fraction',
    xLabel: 'attackers (%)',
    yLabel: 'final accuracy',
    series: strategies.map(({ label }, i) => ({
      id: label,
      label,
      color: seriesColor(i),
      points: rows.filter((r) => r['attack'] === 'sign-flip' && r['defense'] === label).map((r) => ({ x: Math.round(100 * (r['fraction'] as number)), y: r['accuracy'] as number })),
    })),
  })
  writeFileSync(join(here, 'results', 'robustness-attackers.svg'), svg.replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" '))
}

if (runs('alpha')) {
  const rows: Record<string, unknown>[] = []
  for (const alpha of [0.1, 0.3, 0.5, 1, 10, Number.POSITIVE_INFINITY]) {
    const partition = Number.isFinite(alpha) ? { kind: 'dirichlet' as const, alpha } : { kind: 'iid' as const }
    const gaps: number[] = []
    const accs: number[] = []
    let failure: string | undefined
    for (const seed of seeds) {
      try {
        const s = await simulate.runSimulation({ options: { source: { example: 'digits' as const }, nodes: 10, rounds: 20, localEpochs: 2, seed, partition, strategy: 'fedadam' } })
        accs.push(s.final.accuracy)
        gaps.push(s.final.accuracy - s.baseline.centralizedAccuracy)
      } catch (error) {
        failure = (error as Error).message
      }
    }
    const row = { alpha: Number.isFinite(alpha) ? alpha : 'iid', accuracy: accs.length ? +mean(accs).toFixed(4) : null, gapPp: gaps.length ? +(100 * mean(gaps)).toFixed(2) : null, seeds: accs.length, ...(failure === undefined ? {} : { failure }) }
    rows.push(row)
    console.log(JSON.stringify(row))
  }
  results['alpha'] = { setting: 'digits, 10 hospitals, MLP [32], FedAdam, 2 local epochs, 20 rounds, seeds 1–3 (mean); gap = federated − centralized', rows }
}

if (runs('size')) {
  const rows: Record<string, unknown>[] = []
  for (const hidden of [[128], [1024, 64], [1024, 960]]) {
    const options = { source: { example: 'digits' as const }, nodes: 10, rounds: 2, seed: 1, partition: { kind: 'iid' as const }, modelShape: { hidden } }
    const s = await simulate.runSimulation({ options, coordinator: simulate.protocolCoordinator() })
    const params = [64, ...hidden, 10].reduce((sum, width, i, all) => (i === 0 ? 0 : sum + (all[i - 1] as number) * width + width), 0)
    const phases: Record<string, number> = {}
    for (const r of s.rounds) for (const [k, v] of Object.entries(r.ms)) phases[k] = Math.round(((phases[k] ?? 0) + v / s.rounds.length))
    const row = { hidden, params, perRoundMs: Object.values(phases).reduce((a, b) => a + b, 0), phases, finalized: s.rounds.filter((r) => r.finalizeTx !== null).length }
    rows.push(row)
    console.log(JSON.stringify(row))
  }
  results['size'] = { setting: 'digits, 10 hospitals, IID, full protocol, 2 rounds; MLP widths chosen for ≈10k, 100k and 1M parameters', rows }
}

mkdirSync(dirname(resultsPath), { recursive: true })
writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`)
console.log(`wrote ${resultsPath}`)
