// Learning-core targets: federated vs centralized accuracy (WDBC, digits), the ε–accuracy curve
// with record-level DP-SGD, robustness to 30% attackers, and the DP-SGD step-time overhead.
// Run: node bench/learning.bench.ts [section…]   (sections: wdbc, epsilon, digits, attacks, step)
// Writes bench/results/learning.json (merged with earlier sections when run partially).
//
// The learning, aggregation and simulate barrels are imported from the built package until the
// package root re-exports them; run `pnpm --filter @fedchain/node build` first.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { GaussianNoise } from '@fedchain/dp'
import {
  buildNetwork,
  clippedGradientSumNaive,
  createDpSgd,
  createOptimizer,
  ensureBackend,
  initParams,
  meanGradient,
  perExampleGradientNorms,
  perExampleGradientNormsNaive,
  SeededRandom,
} from '../packages/node/dist/learning/index.js'
import { runSimulation } from '../packages/node/dist/simulate/index.js'

const here = dirname(fileURLToPath(import.meta.url))
const resultsPath = join(here, 'results', 'learning.json')
const wanted = process.argv.slice(2)
const runs = (name: string) => wanted.length === 0 || wanted.includes(name)

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const pct = (x: number) => `${(100 * x).toFixed(2)}%`
const pp = (x: number) => `${(100 * x >= 0 ? '+' : '')}${(100 * x).toFixed(2)} pp`

function table(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map(String))]
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  console.log(`\n${title}`)
  for (const [k, r] of cells.entries()) {
    console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '))
    if (k === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  }
}

const backend = await ensureBackend()
const results: Record<string, unknown> = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : {}
results['environment'] = { backend: backend.name, node: process.versions.node, date: new Date().toISOString() }
console.log(`tfjs backend: ${backend.name} (${backend.reason})`)

// ── WDBC, 5 hospitals, Dirichlet(0.5), no DP ─────────────────────────────────────────────────
const wdbcSeeds = [1, 2, 3, 4, 5]
if (runs('wdbc')) {
  const rows = []
  for (const seed of wdbcSeeds) {
    const s = await runSimulation({ options: { source: { example: 'breast-cancer' }, nodes: 5, rounds: 20, partition: { kind: 'dirichlet', alpha: 0.5 }, seed } })
    rows.push({ seed, centralized: s.baseline.centralizedAccuracy, federated: s.final.accuracy, gap: s.final.accuracy - s.baseline.centralizedAccuracy, auc: s.final.auc, wallMs: s.timing.wallMs })
  }
  const summary = { meanCentralized: mean(rows.map((r) => r.centralized)), meanFederated: mean(rows.map((r) => r.federated)), meanGap: mean(rows.map((r) => r.gap)) }
  results['wdbc'] = { command: 'fedchain simulate --example breast-cancer --nodes 5 --rounds 20 --partition dirichlet:0.5 --seed <1..5>', rows, ...summary, target: 'within 1 pp of centralized' }
  table('WDBC, 5 hospitals, Dirichlet(0.5), logistic regression, 20 rounds, no DP', ['seed', 'centralized', 'federated', 'gap'], [
    ...rows.map((r) => [r.seed, pct(r.centralized), pct(r.federated), pp(r.gap)]),
    ['mean', pct(summary.meanCentralized), pct(summary.meanFederated), pp(summary.meanGap)],
  ])
}

// ── ε–accuracy curve, WDBC ────────────────────────────────────────────────────────────────────
if (runs('epsilon')) {
  const rows = []
  for (const epsilon of [1, 2, 4, 8, Number.POSITIVE_INFINITY]) {
    const accuracies: number[] = []
    const epsilonMax: number[] = []
    const centralized: number[] = []
    for (const seed of wdbcSeeds) {
      const s = await runSimulation({
        options: {
          source: { example: 'breast-cancer' },
          nodes: 5,
          rounds: 20,
          partition: { kind: 'dirichlet', alpha: 0.5 },
          seed,
          ...(Number.isFinite(epsilon) ? { dp: { epsilon, delta: 1e-5 } } : {}),
        },
      })
      accuracies.push(s.final.accuracy)
      centralized.push(s.baseline.centralizedAccuracy)
      if (s.final.epsilonMax !== null) epsilonMax.push(s.final.epsilonMax)
    }
    rows.push({
      epsilon: Number.isFinite(epsilon) ? epsilon : 'inf',
      meanAccuracy: mean(accuracies),
      minAccuracy: Math.min(...accuracies),
      accuracies,
      maxSpentEpsilon: epsilonMax.length === 0 ? null : Math.max(...epsilonMax),
      meanCentralized: mean(centralized),
    })
  }
  results['epsilon'] = {
    command: 'fedchain simulate --example breast-cancer --nodes 5 --rounds 20 --partition dirichlet:0.5 --dp <ε> --delta 1e-5 --seed <1..5>',
    delta: 1e-5,
    rows,
    target: 'ε = 8: ≥ 0.95',
  }
  table('ε–accuracy, WDBC, 5 hospitals, Dirichlet(0.5), DP-SGD per hospital (δ = 1e-5, adaptive clipping), 5 seeds', ['ε', 'mean acc', 'min acc', 'max ε spent (accountant)'], rows.map((r) => [r.epsilon, pct(r.meanAccuracy), pct(r.minAccuracy), r.maxSpentEpsilon === null ? '—' : r.maxSpentEpsilon.toFixed(3)]))
}

// ── digits, 10 hospitals, Dirichlet(0.3), no DP ──────────────────────────────────────────────
if (runs('digits')) {
  const configs = [
    { label: 'MLP [32], FedAvg, 20 rounds', model: 'mlp', strategy: 'fedavg', rounds: 20, seeds: [1, 2, 3] },
    { label: 'MLP [32], FedAvgM, 40 rounds', model: 'mlp', strategy: 'fedavgm', rounds: 40, seeds: [1, 2, 3] },
    { label: 'CNN 3×3×16, FedAvgM, 40 rounds', model: 'cnn', strategy: 'fedavgm', rounds: 40, seeds: [1, 2, 3] },
  ] as const
  const rows = []
  for (const c of configs) {
    const gaps: number[] = []
    const fed: number[] = []
    const cen: number[] = []
    let wall = 0
    for (const seed of c.seeds) {
      const s = await runSimulation({ options: { source: { example: 'digits' }, nodes: 10, rounds: c.rounds, partition: { kind: 'dirichlet', alpha: 0.3 }, model: c.model, strategy: c.strategy, seed } })
      gaps.push(s.final.accuracy - s.baseline.centralizedAccuracy)
      fed.push(s.final.accuracy)
      cen.push(s.baseline.centralizedAccuracy)
      wall += s.timing.wallMs
    }
    rows.push({ ...c, meanCentralized: mean(cen), meanFederated: mean(fed), meanGap: mean(gaps), gaps, meanWallMs: wall / c.seeds.length })
  }
  results['digits'] = {
    command: 'fedchain simulate --example digits --nodes 10 --partition dirichlet:0.3 --model <mlp|cnn> --strategy <fedavg|fedavgm> --rounds <20|40> --seed <1..3>',
    rows,
    target: 'within 2 pp of centralized',
  }
  table('digits, 10 hospitals, Dirichlet(0.3), no DP, 3 seeds (centralized gets the same epochs)', ['config', 'centralized', 'federated', 'mean gap', 'wall/run'], rows.map((r) => [r.label, pct(r.meanCentralized), pct(r.meanFederated), pp(r.meanGap), `${(r.meanWallMs / 1000).toFixed(1)} s`]))
}

// ── 30% attackers on WDBC, 10 hospitals ──────────────────────────────────────────────────────
if (runs('attacks')) {
  const seeds = [1, 2, 3]
  const defenses = [
    { label: 'none (FedAvg)', verify: false },
    { label: 'verification only', verify: true, minReputation: 0 },
    { label: 'verification + reputation (default)', verify: true },
    { label: 'verification + Multi-Krum (f = 3) + reputation', verify: true, verification: { byzantine: 3 } },
  ]
  const partitions = [
    { label: 'iid', scheme: { kind: 'iid' } },
    { label: 'dirichlet:0.5', scheme: { kind: 'dirichlet', alpha: 0.5 } },
  ] as const
  const rows = []
  for (const partition of partitions) {
    const clean: number[] = []
    for (const seed of seeds) {
      const s = await runSimulation({ options: { source: { example: 'breast-cancer' }, nodes: 10, rounds: 20, partition: partition.scheme, seed } })
      clean.push(s.final.accuracy)
    }
    for (const attack of ['sign-flip', 'scale']) {
      for (const d of defenses) {
        const acc: number[] = []
        let malicious = 0
        let maliciousRejected = 0
        let honest = 0
        let honestRejected = 0
        for (const seed of seeds) {
          const s = await runSimulation({
            options: {
              source: { example: 'breast-cancer' },
              nodes: 10,
              rounds: 20,
              partition: partition.scheme,
              seed,
              malicious: { fraction: 0.3, attack },
              verify: d.verify,
              ...(d.verification === undefined ? {} : { verification: d.verification }),
              ...(d.minReputation === undefined ? {} : { minReputation: d.minReputation }),
            },
          })
          acc.push(s.final.accuracy)
          malicious += s.attack.submittedMalicious
          maliciousRejected += s.attack.rejectedMalicious
          honest += s.attack.submittedHonest
          honestRejected += s.attack.rejectedHonest
        }
        rows.push({
          partition: partition.label,
          attack,
          defense: d.label,
          cleanAccuracy: mean(clean),
          attackedAccuracy: mean(acc),
          accuracyDrop: mean(clean) - mean(acc),
          maliciousRejectedRate: maliciousRejected / malicious,
          honestRejectedRate: honestRejected / honest,
        })
      }
    }
  }
  results['attacks'] = {
    command: 'fedchain simulate --example breast-cancer --nodes 10 --rounds 20 --partition <iid|dirichlet:0.5> --malicious 0.3:<sign-flip|scale> [--verify off | --min-reputation 0 | --krum 3] --seed <1..3>',
    rows,
    target: 'accuracy within 2 pp of clean, ≥ 95% malicious rejected, ≤ 5% honest rejected',
  }
  table('30% attackers, WDBC, 10 hospitals, 20 rounds, 3 seeds', ['partition', 'attack', 'defense', 'clean', 'attacked', 'malicious rejected', 'honest rejected'], rows.map((r) => [r.partition, r.attack, r.defense, pct(r.cleanAccuracy), pct(r.attackedAccuracy), pct(r.maliciousRejectedRate), pct(r.honestRejectedRate)]))
}

// ── DP-SGD step time vs non-DP vs naive per-example loop ─────────────────────────────────────
if (runs('step')) {
  const batchSize = 64
  const specs = [
    { label: 'MLP 30-32-2 (WDBC)', spec: { kind: 'mlp', inputs: 30, hidden: [32], classes: 2 } },
    { label: 'MLP 64-128-64-10 (digits)', spec: { kind: 'mlp', inputs: 64, hidden: [128, 64], classes: 10 } },
    { label: 'MLP 784-256-10', spec: { kind: 'mlp', inputs: 784, hidden: [256], classes: 10 } },
    { label: 'CNN 8×8, conv 3×3×16 + pool + dense (digits)', spec: { kind: 'cnn', image: { height: 8, width: 8, channels: 1 }, filters: 16, classes: 10 } },
  ] as const
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
  const timeIt = (fn: () => void, iterations: number) => {
    for (let i = 0; i < 5; i++) fn()
    const samples: number[] = []
    for (let i = 0; i < iterations; i++) {
      const t = performance.now()
      fn()
      samples.push(performance.now() - t)
    }
    return median(samples)
  }
  const rows = []
  for (const { label, spec } of specs) {
    const network = buildNetwork(spec)
    const random = new SeededRandom(1)
    const params = initParams(network, random)
    const batch = {
      features: Float32Array.from({ length: batchSize * network.inputSize }, () => random.normal()),
      labels: Int32Array.from({ length: batchSize }, () => random.int(network.numClasses)),
    }
    const noise = GaussianNoise.seeded(1)
    const optimizer = createOptimizer({ kind: 'sgd', learningRate: 0.01 }, network.numParams)
    const working = Float32Array.from(params)
    const plain = timeIt(() => optimizer.step(working, meanGradient(network, working, batch).grad), 200)
    const stepper = createDpSgd({ noiseMultiplier: 1, clipNorm: 1, delta: 1e-5, epsilonBudget: 1e9, noise, adaptive: {} })
    stepper.begin({ sampleRate: 0.01, steps: 1 })
    const dp = timeIt(() => optimizer.step(working, stepper.step({ network, params: working, batch, expectedBatchSize: batchSize }).grad), 200)
    const naive = timeIt(() => {
      const { sum } = clippedGradientSumNaive(network, working, batch, 1)
      noise.addTo(sum, 1)
      for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) / batchSize
      optimizer.step(working, sum)
    }, 10)
    const fast = perExampleGradientNorms(network, params, batch)
    const reference = perExampleGradientNormsNaive(network, params, batch)
    let worst = 0
    for (let i = 0; i < fast.length; i++) worst = Math.max(worst, Math.abs((fast[i] as number) - (reference[i] as number)) / (reference[i] as number))
    rows.push({ model: label, params: network.numParams, batchSize, nonDpMs: plain, dpSgdMs: dp, naiveLoopMs: naive, dpFactor: dp / plain, naiveFactor: naive / plain, normMaxRelativeError: worst })
  }
  const previous = (results['stepTime'] ?? {}) as Record<string, unknown>
  results['stepTime'] = {
    ...previous,
    target: 'DP-SGD step ≤ 2× the non-DP step (MLP, batch 64)',
    [backend.name]: { command: `FEDCHAIN_BACKEND=${backend.name} node bench/learning.bench.ts step`, rows },
  }
  table(`Step time at batch ${batchSize} on ${backend.name} (median; DP-SGD = batched clipping + adaptive clip + noise)`, ['model', 'params', 'non-DP', 'DP-SGD', 'naive loop', 'DP factor', 'naive factor', 'norm rel. err'], rows.map((r) => [r.model, r.params, `${r.nonDpMs.toFixed(2)} ms`, `${r.dpSgdMs.toFixed(2)} ms`, `${r.naiveLoopMs.toFixed(1)} ms`, `${r.dpFactor.toFixed(2)}×`, `${r.naiveFactor.toFixed(1)}×`, r.normMaxRelativeError.toExponential(1)]))
}

mkdirSync(dirname(resultsPath), { recursive: true })
writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`)
console.log(`\nwrote ${resultsPath}`)
