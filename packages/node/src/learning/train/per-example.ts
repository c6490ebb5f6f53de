import { scoped, tf } from '../tf.js'
import type { ParamLayerTrace } from '../model/layers.js'
import { traceBatch, weightedGradient, type Batch, type Network } from '../model/network.js'

/**
 * Squared L2 norm of every example's full gradient from one batched pass ("ghost" norms).
 * Dense layer: ‖∇Wᵢ‖² + ‖∇bᵢ‖² = ‖aᵢ‖²·‖gᵢ‖² + ‖gᵢ‖², since ∇Wᵢ = aᵢᵀgᵢ is rank one (Goodfellow 2015;
 * Li et al. 2022). Convolution (T positions): ∇Kᵢ = Σₜ aᵢₜᵀgᵢₜ is materialised per example with one
 * batched matMul, which is cheaper than the T×T ghost form while fanIn·fanOut < T² (true for 3×3
 * kernels on 8×8 images). Call inside a tfjs scope (`scoped` or `tf.tidy`).
 */
export function perExampleSquaredNorms(traces: readonly ParamLayerTrace[], batchSize: number): tf.Tensor1D {
  let total: tf.Tensor1D = tf.zeros([batchSize])
  for (const trace of traces) {
    const g = trace.outputGrad as tf.Tensor2D
    const a = trace.input
    if (trace.positions === 1) {
      const gSq = tf.sum(tf.square(g), 1)
      total = tf.add(total, tf.add(tf.mul(tf.sum(tf.square(a), 1), gSq), gSq))
    } else {
      const t = trace.positions
      const a3 = tf.reshape(a, [batchSize, t, a.shape[1]]) as tf.Tensor3D
      const g3 = tf.reshape(g, [batchSize, t, g.shape[1]]) as tf.Tensor3D
      const weightSq = tf.sum(tf.square(tf.matMul(a3, g3, true, false)), [1, 2])
      const biasSq = tf.sum(tf.square(tf.sum(g3, 1)), 1)
      total = tf.add(total, tf.add(weightSq, biasSq))
    }
  }
  return total
}

/** Per-example gradient norms of the summed loss, batched (see {@link perExampleSquaredNorms}). */
export function perExampleGradientNorms(network: Network, params: Float32Array, batch: Batch): Float32Array {
  return scoped(() => {
    const { traces } = traceBatch(network, params, batch)
    return tf.sqrt(perExampleSquaredNorms(traces, batch.labels.length)).dataSync() as Float32Array
  })
}

/**
 * The same norms by the textbook route: one backward pass per example, full gradient
 * materialised. Kept as the correctness reference for the batched path and for the benchmark.
 */
export function perExampleGradientNormsNaive(network: Network, params: Float32Array, batch: Batch): Float32Array {
  const n = batch.labels.length
  const d = network.inputSize
  const norms = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    const single: Batch = { features: batch.features.subarray(i * d, (i + 1) * d), labels: batch.labels.subarray(i, i + 1) }
    const grad = exampleGradient(network, params, single)
    let sq = 0
    for (const v of grad) sq += v * v
    norms[i] = Math.sqrt(sq)
  }
  return norms
}

/** Summed-loss gradient of a batch as a flat vector. */
export function exampleGradient(network: Network, params: Float32Array, batch: Batch): Float32Array {
  return scoped(() => weightedGradient(network, traceBatch(network, params, batch).traces))
}

/**
 * Σᵢ min(1, C/‖∇ᵢ‖)·∇ᵢ in one batched pass, plus the per-example norms (before clipping), for
 * DP-SGD. Examples with zero gradient keep factor 1.
 */
export function clippedGradientSum(
  network: Network,
  params: Float32Array,
  batch: Batch,
  clipNorm: number,
): { sum: Float32Array; norms: Float32Array; loss: number } {
  return scoped(() => {
    const { traces, loss } = traceBatch(network, params, batch)
    const norms = tf.sqrt(perExampleSquaredNorms(traces, batch.labels.length))
    const factors = tf.minimum(1, tf.div(clipNorm, tf.maximum(norms, 1e-12))) as tf.Tensor1D
    return { sum: weightedGradient(network, traces, factors), norms: norms.dataSync() as Float32Array, loss: loss.dataSync()[0] as number }
  })
}

/** Naive-loop counterpart of {@link clippedGradientSum}, for tests and the benchmark. */
export function clippedGradientSumNaive(network: Network, params: Float32Array, batch: Batch, clipNorm: number): { sum: Float32Array; norms: Float32Array } {
  const n = batch.labels.length
  const d = network.inputSize
  const sum = new Float32Array(network.numParams)
  const norms = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    const grad = exampleGradient(network, params, { features: batch.features.subarray(i * d, (i + 1) * d), labels: batch.labels.subarray(i, i + 1) })
    let sq = 0
    for (const v of grad) sq += v * v
    const norm = Math.sqrt(sq)
    norms[i] = norm
    const factor = Math.min(1, clipNorm / Math.max(norm, 1e-12))
    for (let j = 0; j < grad.length; j++) sum[j] = (sum[j] as number) + factor * (grad[j] as number)
  }
  return { sum, norms }
}
