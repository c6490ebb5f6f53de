/**
 * @packageDocumentation
 * Differential privacy for federated learning: L2 clipping (flat and per-layer), Gaussian noise
 * (CSPRNG or seeded), an RDP accountant for the sampled Gaussian mechanism that agrees with
 * Opacus, the inverse (noise multiplier for a target ε), adaptive clipping, noise schedules and
 * a persisted per-task privacy budget ledger.
 *
 * @example
 * ```ts
 * import { clipInPlace, addGaussianNoise, noiseMultiplierFor, RdpAccountant } from '@fedchain/dp'
 *
 * const sampleRate = 64 / 10_000
 * const steps = 1_000
 * const noiseMultiplier = noiseMultiplierFor({ targetEpsilon: 3, delta: 1e-5, sampleRate, steps })
 * const accountant = new RdpAccountant()
 *
 * const clipNorm = 1
 * const update = new Float32Array([3, 4])
 * clipInPlace(update, clipNorm)                          // update is now [0.6, 0.8]
 * addGaussianNoise(update, noiseMultiplier * clipNorm)   // CSPRNG-backed noise
 * accountant.step({ noiseMultiplier, sampleRate })
 * accountant.getEpsilon(1e-5)                            // ε spent so far
 * ```
 */
export { l2Norm, clipInPlace, clipFactor, clipLayersInPlace, clipEachLayerInPlace, jointL2Norm, layerNorms, perLayerSensitivity } from './clip.js'
export type { Vector } from './clip.js'
export { DpError, InvalidArgumentError, AccountantStateError, PrivacyBudgetExceededError, LedgerStateError, ScheduleInfeasibleError } from './errors.js'
export {
  DEFAULT_RDP_ORDERS,
  MAX_NOISE_MULTIPLIER,
  computeRdp,
  noiseMultiplierFor,
  privacySpent,
  rdpEpsilon,
  sampledGaussianRdp,
} from './analysis/rdp.js'
export type {
  ComputeRdpParameters,
  EpsilonAtOrder,
  NoiseMultiplierForParameters,
  PrivacySpentParameters,
  RdpEpsilonParameters,
  SampledGaussianRdpParameters,
} from './analysis/rdp.js'
export { erfc, lgamma, logAddExp, logBinomial, logErfc, logSubExp, logSumExp } from './analysis/special.js'
export type { SignedLog } from './analysis/special.js'
export { ACCOUNTANTS, createAccountant, RdpAccountant } from './accountant.js'
export type { AccountantMechanism, AccountantStep, AccountantStepInput, PrivacyAccountant, RdpAccountantInit, RdpAccountantJson } from './accountant.js'
export { cryptoUniformSource, seededUniformSource } from './random.js'
export type { CryptoUniformSourceInit, Seed, UniformSource } from './random.js'
export { GaussianNoise, addGaussianNoise, clipAndAddNoise, defaultGaussianNoise } from './noise.js'
export type { ClipAndAddNoiseParameters, GaussianNoiseInit } from './noise.js'
export { PrivacyBudgetLedger } from './ledger.js'
export type { LedgerCharge, LedgerChargeResult, LedgerEntry, PrivacyBudgetLedgerInit } from './ledger.js'
export { AdaptiveClipper } from './adaptive-clipping.js'
export type { AdaptiveClipperInit, AdaptiveClipperState, AdaptiveClipperUpdateOptions } from './adaptive-clipping.js'
export { NoiseSchedule } from './noise-schedule.js'
export type { CompletedRound, NoiseScheduleInit, NoiseSchedulePolicy } from './noise-schedule.js'
