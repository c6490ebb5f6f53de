import type { MemoryCoordinatorInit } from './memory-coordinator.js'
import type { StandardizationMode } from './setup.js'
import type { PartitionScheme } from '../learning/data/partition.js'
import type { OptimizerConfig } from '../learning/train/optimizer.js'
import type { DatasetSource, ModelChoice, ModelShapeOptions } from './examples.js'

/** Everything that defines a simulation run. */
export interface SimulationOptions {
  readonly source: DatasetSource
  /** @default 5 */
  readonly nodes?: number
  /** @default 20 */
  readonly rounds?: number
  /** @default 1 */
  readonly localEpochs?: number
  /** @default dirichlet α = 0.5 */
  readonly partition?: PartitionScheme
  /** Record-level DP per hospital; undefined = off. */
  readonly dp?: { readonly epsilon: number; readonly delta: number }
  /** @default 'fedavg' */
  readonly strategy?: string
  readonly malicious?: { readonly fraction: number; readonly attack: string }
  /**
   * Fraction of hospitals the Krum and Multi-Krum strategies assume Byzantine (they discard that
   * many updates every round, honest or not). @default the `malicious` fraction, else 0.3
   */
  readonly byzantineFraction?: number
  /** Verify updates before aggregating. @default true when `malicious` is set */
  readonly verify?: boolean
  /** Thresholds of the verifier (memory coordinator). */
  readonly verification?: MemoryCoordinatorInit['policy']
  /** Reputation below which a hospital is rejected outright (memory coordinator); 0 disables. @default 0.3 */
  readonly minReputation?: number
  /** @default 1 */
  readonly seed?: number
  readonly model?: ModelChoice
  /** Hidden widths / activation (MLP) or filters (CNN). */
  readonly modelShape?: ModelShapeOptions
  /** @default 16 */
  readonly batchSize?: number
  /** @default sgd, learning rate 0.1 (0.5 with DP) */
  readonly optimizer?: OptimizerConfig
  /** FedProx μ. @default 0 */
  readonly proximalMu?: number
  /** Clip norm for DP-SGD (start value with adaptive clipping). @default 1 */
  readonly clipNorm?: number
  /** See {@link StandardizationMode}. @default 'federated' */
  readonly standardization?: StandardizationMode
  /** Adaptive clipping (Andrew et al. 2021) towards the `clipQuantile` of per-example norms. @default true */
  readonly adaptiveClipping?: boolean
  /**
   * Under label skew, clipping at the median norm (Andrew et al.'s default) clips the minority
   * class's larger gradients hardest and biases the model; the 0.9 quantile measured better on
   * WDBC (see LEARNING.md).
   * @default 0.9
   */
  readonly clipQuantile?: number
}
