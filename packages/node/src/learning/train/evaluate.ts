import type { Dataset } from '../data/dataset.js'
import { predictProbabilities, type Network } from '../model/network.js'

/** Quality of a model on a labelled dataset. */
export interface Evaluation {
  readonly accuracy: number
  /** Mean cross-entropy. */
  readonly loss: number
  /** ROC AUC (binary) or macro one-vs-rest AUC (multiclass); NaN when a class is absent. */
  readonly auc: number
  readonly examples: number
}

/**
 * The holdout loss of `global` + Δ for each update Δ: the `validation.lossOf` of `verifyUpdates`.
 * The sum is taken in float32, as the model parameters are.
 */
export function updateLoss(network: Network, global: Float32Array, holdout: Dataset): (delta: Float32Array) => number {
  return (delta) => {
    const params = new Float32Array(global.length)
    for (let i = 0; i < params.length; i++) params[i] = (global[i] as number) + (delta[i] as number)
    return evaluateModel(network, params, holdout).loss
  }
}

/** Scores `params` on `dataset` (already standardized like the training data). */
export function evaluateModel(network: Network, params: Float32Array, dataset: Dataset): Evaluation {
  const n = dataset.labels.length
  if (n === 0) return { accuracy: Number.NaN, loss: Number.NaN, auc: Number.NaN, examples: 0 }
  const k = network.numClasses
  const probs = predictProbabilities(network, params, dataset.features)
  let correct = 0
  let loss = 0
  for (let i = 0; i < n; i++) {
    const y = dataset.labels[i] as number
    let best = 0
    for (let c = 1; c < k; c++) if ((probs[i * k + c] as number) > (probs[i * k + best] as number)) best = c
    if (best === y) correct++
    loss -= Math.log(Math.max(probs[i * k + y] as number, 1e-12))
  }
  const auc = k === 2 ? rocAuc(probs, dataset.labels, 1, k) : macroAuc(probs, dataset.labels, k)
  return { accuracy: correct / n, loss: loss / n, auc, examples: n }
}

/** Mann–Whitney AUC of column `positive` (ties count one half). */
export function rocAuc(probs: Float32Array, labels: Int32Array, positive: number, k: number): number {
  const scored = Array.from(labels, (y, i) => ({ s: probs[i * k + positive] as number, pos: y === positive }))
  const positives = scored.filter((e) => e.pos).length
  const negatives = scored.length - positives
  if (positives === 0 || negatives === 0) return Number.NaN
  scored.sort((a, b) => a.s - b.s)
  let rankSum = 0
  for (let i = 0; i < scored.length; ) {
    let j = i
    while (j < scored.length && (scored[j] as { s: number }).s === (scored[i] as { s: number }).s) j++
    const averageRank = (i + 1 + j) / 2
    for (let t = i; t < j; t++) if ((scored[t] as { pos: boolean }).pos) rankSum += averageRank
    i = j
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}

function macroAuc(probs: Float32Array, labels: Int32Array, k: number): number {
  let total = 0
  for (let c = 0; c < k; c++) total += rocAuc(probs, labels, c, k)
  return total / k
}
