import type { Dataset } from '../data/dataset.js'
import { requireArgument } from '../errors.js'
import { checkParams, traceBatch, weightedGradient, type Batch, type Network } from '../model/network.js'
import type { SeededRandom } from '../random.js'
import { scoped } from '../tf.js'
import { createOptimizer, type OptimizerConfig } from './optimizer.js'
import type { PrivateStepper, PrivateTrainingReport } from './dp-sgd.js'

export interface LocalTrainingParameters {
  readonly network: Network
  /** The global model this round starts from; never modified. */
  readonly global: Float32Array
  /** Standardized local training rows. */
  readonly data: Dataset
  /** @default 1 */
  readonly epochs?: number
  /** @default 32 */
  readonly batchSize?: number
  /** @default { kind: 'sgd', learningRate: 0.1 } */
  readonly optimizer?: OptimizerConfig
  /** FedProx proximal weight μ: adds μ·(w − w_global) to every gradient. @default 0 */
  readonly proximalMu?: number
  readonly random: SeededRandom
  /**
   * DP-SGD: per-example clipping, Gaussian noise and accounting. When set, batches are drawn by
   * Poisson sampling with rate batchSize / rows, as the accountant assumes.
   */
  readonly privacy?: PrivateStepper
}

export interface LocalTrainingResult {
  readonly params: Float32Array
  /** params − global: what the hospital shares. */
  readonly delta: Float32Array
  readonly examples: number
  readonly steps: number
  /** Mean training loss over the examples seen. */
  readonly meanLoss: number
  readonly privacy?: PrivateTrainingReport
}

/**
 * Trains a copy of the global model on local data (FedAvg client update; FedProx with
 * `proximalMu`; DP-SGD with `privacy`).
 */
export function trainLocal(parameters: LocalTrainingParameters): LocalTrainingResult {
  const { network, global, data, random, privacy } = parameters
  const epochs = parameters.epochs ?? 1
  const batchSize = parameters.batchSize ?? 32
  const mu = parameters.proximalMu ?? 0
  checkParams(network, global)
  requireArgument(Number.isInteger(epochs) && epochs >= 1, 'epochs', 'a positive integer', epochs)
  requireArgument(Number.isInteger(batchSize) && batchSize >= 1, 'batchSize', 'a positive integer', batchSize)
  requireArgument(mu >= 0, 'proximalMu', 'a non-negative number', mu)
  const n = data.labels.length
  requireArgument(n > 0, 'data', 'a non-empty dataset', n)
  const params = Float32Array.from(global)
  const optimizer = createOptimizer(parameters.optimizer ?? { kind: 'sgd', learningRate: 0.1 }, network.numParams)
  const effectiveBatch = Math.min(batchSize, n)
  let steps = 0
  let lossSum = 0
  let seen = 0
  const applyStep = (grad: Float32Array) => {
    if (mu > 0) for (let i = 0; i < grad.length; i++) grad[i] = (grad[i] as number) + mu * ((params[i] as number) - (global[i] as number))
    optimizer.step(params, grad)
    steps++
  }
  if (privacy === undefined) {
    const order = Array.from({ length: n }, (_, i) => i)
    for (let epoch = 0; epoch < epochs; epoch++) {
      random.shuffle(order)
      for (let start = 0; start < n; start += effectiveBatch) {
        const batch = gatherBatch(data, order.slice(start, start + effectiveBatch))
        const { grad, loss } = meanGradient(network, params, batch)
        lossSum += loss
        seen += batch.labels.length
        applyStep(grad)
      }
    }
  } else {
    const sampleRate = effectiveBatch / n
    const stepsPerEpoch = Math.max(1, Math.round(1 / sampleRate))
    privacy.begin({ sampleRate, steps: epochs * stepsPerEpoch })
    for (let s = 0; s < epochs * stepsPerEpoch; s++) {
      const rows: number[] = []
      for (let i = 0; i < n; i++) if (random.next() < sampleRate) rows.push(i)
      const batch = gatherBatch(data, rows)
      const { grad, loss } = privacy.step({ network, params, batch, expectedBatchSize: effectiveBatch })
      lossSum += loss
      seen += rows.length
      applyStep(grad)
    }
  }
  const delta = new Float32Array(params.length)
  for (let i = 0; i < params.length; i++) delta[i] = (params[i] as number) - (global[i] as number)
  return {
    params,
    delta,
    examples: n,
    steps,
    meanLoss: seen > 0 ? lossSum / seen : Number.NaN,
    ...(privacy === undefined ? {} : { privacy: privacy.report() }),
  }
}

/** The rows at `rows` as a batch. */
export function gatherBatch(data: Dataset, rows: readonly number[]): Batch {
  const d = data.numFeatures
  const features = new Float32Array(rows.length * d)
  const labels = new Int32Array(rows.length)
  rows.forEach((r, k) => {
    features.set(data.features.subarray(r * d, (r + 1) * d), k * d)
    labels[k] = data.labels[r] as number
  })
  return { features, labels }
}

/** Mean-loss gradient and summed loss of a batch. */
export function meanGradient(network: Network, params: Float32Array, batch: Batch): { grad: Float32Array; loss: number } {
  return scoped(() => {
    const { traces, loss } = traceBatch(network, params, batch)
    const grad = weightedGradient(network, traces)
    const scale = 1 / batch.labels.length
    for (let i = 0; i < grad.length; i++) grad[i] = (grad[i] as number) * scale
    return { grad, loss: loss.dataSync()[0] as number }
  })
}
