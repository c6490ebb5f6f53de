// @fedchain/dp benchmarks: clip + noise throughput on 1M-parameter vectors, and RDP accountant
// evaluation time on the full default order grid. Prints a table and writes results/dp.json.
//
// Run: node bench/dp.bench.ts   (after `pnpm -s build`)
import { randomFillSync } from 'node:crypto'
import { writeFileSync, mkdirSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  addGaussianNoise,
  clipAndAddNoise,
  clipInPlace,
  clipLayersInPlace,
  DEFAULT_RDP_ORDERS,
  GaussianNoise,
  l2Norm,
  noiseMultiplierFor,
  RdpAccountant,
  rdpEpsilon,
} from '@fedchain/dp'

const PARAMETERS = 1_000_000
const ROUNDS = 60 // repetitions per throughput measurement; the minimum and the median are reported
const WARMUP = 20 // untimed runs first, so that V8 has tiered the hot loops up to its optimizing compiler
const ACCOUNTANT_STEPS = 10_000

interface Row {
  name: string
  unit: string
  median: number
  best: number
  target?: string
}

/** Runs `fn` `repetitions` times after a warm-up; returns per-run milliseconds. */
function time(fn: (run: number) => void, repetitions: number, warmup = WARMUP): number[] {
  for (let i = 0; i < warmup; i++) fn(-1 - i)
  const samples: number[] = []
  for (let i = 0; i < repetitions; i++) {
    const start = performance.now()
    fn(i)
    samples.push(performance.now() - start)
  }
  return samples
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

const rows: Row[] = []
function throughput(name: string, fn: (run: number) => void, target?: string): void {
  const samples = time(fn, ROUNDS)
  const toRate = (ms: number): number => PARAMETERS / (ms / 1000) / 1e6
  rows.push({ name, unit: 'M params/s', median: toRate(median(samples)), best: toRate(Math.min(...samples)), ...(target ? { target } : {}) })
}
function latency(name: string, fn: (run: number) => void, repetitions: number, target?: string): void {
  const samples = time(fn, repetitions, 1)
  rows.push({ name, unit: 'ms', median: median(samples), best: Math.min(...samples), ...(target ? { target } : {}) })
}

// --- clip + noise ---------------------------------------------------------------------------
const update = new Float32Array(PARAMETERS)
const crypto = new GaussianNoise()
const seeded = new GaussianNoise({ seed: 1 })
crypto.fill(update, 0.01)

throughput('l2Norm (Float32Array)', () => {
  l2Norm(update)
})
throughput('clipInPlace (norm + scale)', () => {
  update[0] = 1e3 // keep the vector above the bound so the scaling pass always runs
  clipInPlace(update, 1)
})
const randomBytes = new Uint32Array((PARAMETERS * 5) / 4) // what the Ziggurat consumes: 5 bytes per sample
throughput('node:crypto randomFillSync, 5 bytes per parameter', () => {
  for (let start = 0; start < randomBytes.length; start += 65_536) randomFillSync(randomBytes.subarray(start, start + 65_536))
})
throughput('addGaussianNoise, CSPRNG', () => {
  addGaussianNoise(update, 1e-3, crypto)
})
throughput('addGaussianNoise, seeded xoshiro128**', () => {
  addGaussianNoise(update, 1e-3, seeded)
})
throughput(
  'clipInPlace + addGaussianNoise, CSPRNG (two passes)',
  () => {
    update[0] = 1e3
    clipInPlace(update, 1)
    addGaussianNoise(update, 1.1, crypto)
  },
  '≥ 200',
)
throughput(
  'clipAndAddNoise, CSPRNG (norm pass + fused scale-and-noise pass)',
  () => {
    update[0] = 1e3
    clipAndAddNoise(update, { maxNorm: 1, std: 1.1, source: crypto })
  },
  '≥ 200',
)
const layers = Array.from({ length: 10 }, (_, k) => update.subarray(k * 100_000, (k + 1) * 100_000))
throughput('clip (10 layers, joint norm) + noise, CSPRNG', () => {
  update[0] = 1e3
  clipLayersInPlace(layers, 1)
  addGaussianNoise(update, 1.1, crypto)
})

// --- accountant -----------------------------------------------------------------------------
// Distinct σ per run so that no cached RDP vector is reused: these are cold evaluations.
latency(
  `rdpEpsilon, ${ACCOUNTANT_STEPS} steps, ${DEFAULT_RDP_ORDERS.length} orders (cold)`,
  (run) => {
    rdpEpsilon({ noiseMultiplier: 1.1 + (run + 10) * 1e-6, sampleRate: 0.01, steps: ACCOUNTANT_STEPS, delta: 1e-5 })
  },
  30,
  '< 20',
)
latency(
  `RdpAccountant: ${ACCOUNTANT_STEPS} × step() + getEpsilon (cold σ)`,
  (run) => {
    const accountant = new RdpAccountant()
    const noiseMultiplier = 0.9 + (run + 10) * 1e-6
    for (let i = 0; i < ACCOUNTANT_STEPS; i++) accountant.step({ noiseMultiplier, sampleRate: 0.01 })
    accountant.getEpsilon(1e-5)
  },
  30,
  '< 20',
)
latency(
  `RdpAccountant: ${ACCOUNTANT_STEPS} steps over 100 distinct σ + getEpsilon (cold)`,
  (run) => {
    const accountant = new RdpAccountant()
    for (let round = 0; round < 100; round++) {
      const noiseMultiplier = 0.8 + round * 0.01 + (run + 10) * 1e-7
      for (let i = 0; i < ACCOUNTANT_STEPS / 100; i++) accountant.step({ noiseMultiplier, sampleRate: 0.01 })
    }
    accountant.getEpsilon(1e-5)
  },
  5,
)
const warm = new RdpAccountant()
warm.step({ noiseMultiplier: 1.1, sampleRate: 0.01, steps: ACCOUNTANT_STEPS })
latency(
  'RdpAccountant.getEpsilon after 10,000 steps (warm)',
  () => {
    warm.getEpsilon(1e-5)
  },
  200,
)
latency(
  'noiseMultiplierFor (ε = 3, δ = 1e-5, q = 0.01, 10,000 steps)',
  (run) => {
    noiseMultiplierFor({ targetEpsilon: 3 + (run + 10) * 1e-7, delta: 1e-5, sampleRate: 0.01, steps: ACCOUNTANT_STEPS })
  },
  5,
)

// --- report ---------------------------------------------------------------------------------
const pad = (s: string, n: number): string => s.padEnd(n)
const fmt = (v: number): string => (v < 0.1 ? v.toFixed(4) : v.toFixed(2))
console.log(`${pad('benchmark', 70)} ${pad('median', 10)} ${pad('best', 10)} ${pad('unit', 11)} target`)
for (const row of rows) {
  console.log(`${pad(row.name, 70)} ${pad(fmt(row.median), 10)} ${pad(fmt(row.best), 10)} ${pad(row.unit, 11)} ${row.target ?? ''}`)
}

const here = dirname(fileURLToPath(import.meta.url))
mkdirSync(join(here, 'results'), { recursive: true })
writeFileSync(
  join(here, 'results', 'dp.json'),
  `${JSON.stringify(
    {
      benchmark: 'dp',
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      loadAverage1m: loadavg()[0],
      parameters: PARAMETERS,
      accountantSteps: ACCOUNTANT_STEPS,
      orders: DEFAULT_RDP_ORDERS.length,
      results: rows,
    },
    null,
    2,
  )}\n`,
)
console.log(`\nwrote ${join('bench', 'results', 'dp.json')}`)
