/* eslint-disable no-console -- an example script: printing is its output */
// A DP-FedAvg client round with @fedchain/dp: plan the noise, clip, noise, account, charge the ledger.
// Run: node packages/dp/examples/quickstart.ts   (after `pnpm -s build`)
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  AdaptiveClipper,
  addGaussianNoise,
  clipLayersInPlace,
  GaussianNoise,
  NoiseSchedule,
  noiseMultiplierFor,
  PrivacyBudgetExceededError,
  PrivacyBudgetLedger,
  rdpEpsilon,
} from '@fedchain/dp'

const delta = 1e-5
const sampleRate = 64 / 6_000 // batch 64 out of 6 000 local records
const stepsPerRound = 50
const rounds = 20

// 1. How much noise for ε = 3 over the whole run?
const sigma = noiseMultiplierFor({ targetEpsilon: 3, delta, sampleRate, steps: rounds * stepsPerRound })
console.log(`constant σ for ε = 3: ${sigma.toFixed(4)} → ε = ${rdpEpsilon({ noiseMultiplier: sigma, sampleRate, steps: rounds * stepsPerRound, delta }).epsilon.toFixed(4)}`)

// 2. A decaying schedule that spends exactly ε = 3 by the last round.
const schedule = new NoiseSchedule({ targetEpsilon: 3, delta, rounds, stepsPerRound, sampleRate, policy: { kind: 'decaying', finalRatio: 0.6 } })
console.log(`decaying plan: σ₀ = ${schedule.plan[0]?.toFixed(4)} … σ₁₉ = ${schedule.plan.at(-1)?.toFixed(4)}, planned ε = ${schedule.plannedEpsilon.toFixed(6)}`)

// 3. One round: clip the update (two layers, joint norm), noise it, charge the ledger.
const ledger = await PrivacyBudgetLedger.open({ directory: mkdtempSync(join(tmpdir(), 'dp-example-')), taskId: 'task-1', epsilonBudget: 3, delta })
const noise = GaussianNoise.seeded(7) // reproducible output for this example; omit the seed in production
const clipper = new AdaptiveClipper({ initialClip: 1, countNoiseStd: 64 / 20, rng: noise })
const layers = [noise.fill(new Float32Array(1000), 0.1), noise.fill(new Float32Array(10), 0.1)]
const z = schedule.nextNoiseMultiplier()
const zGradients = clipper.gradientNoiseMultiplier(z) // the clip count's share of the privacy cost
const clipNorm = clipper.clip
const factor = clipLayersInPlace(layers, clipNorm)
for (const layer of layers) addGaussianNoise(layer, zGradients * clipNorm, noise)
const spent = await ledger.charge({ noiseMultiplier: z, sampleRate, steps: stepsPerRound, label: 'round 0' })
schedule.completeRound()
const norms = Array.from({ length: 64 }, () => 2 * Math.abs(noise.standardNormal())) // this round's per-example norms
const next = clipper.update(norms)
console.log(`round 0: z = ${z.toFixed(4)}, z_Δ = ${zGradients.toFixed(4)}, clip factor ${factor.toFixed(4)}, ε spent ${spent.epsilonSpent.toFixed(4)}, next clip ${next.toFixed(4)}`)

// 4. The ledger refuses a step that would overshoot, before it is taken.
try {
  await ledger.charge({ noiseMultiplier: 0.5, sampleRate, steps: 5_000 })
} catch (error) {
  if (error instanceof PrivacyBudgetExceededError) console.log(`refused: ${error.shortMessage}`)
  else throw error
}
