import { tf } from '../tf.js'
import type { Activation } from './spec.js'

/** One trainable layer's record from a forward pass, which the backward pass and DP-SGD consume. */
export interface ParamLayerTrace {
  /** The matrix the weights multiply: `[rows, fanIn]`, rows = batch × positions. */
  readonly input: tf.Tensor2D
  /** Rows per example: 1 for dense layers, output positions for a convolution. */
  readonly positions: number
  /** Gradient of the summed loss w.r.t. the layer's pre-activation `[rows, fanOut]`, set by backward. */
  outputGrad?: tf.Tensor2D
}

/** A stage of a network over 2-D `[batch, features]` tensors. */
export interface Layer {
  /** Parameter shapes (weights then bias) or none. */
  readonly paramShapes: readonly (readonly number[])[]
  readonly outputSize: number
  forward(x: tf.Tensor2D, params: readonly tf.Tensor[], trace: ParamLayerTrace[] | undefined): { y: tf.Tensor2D; cache: unknown }
  /** Returns the gradient w.r.t. the layer input; param layers store `outputGrad` in their trace. */
  backward(dy: tf.Tensor2D, params: readonly tf.Tensor[], cache: unknown, needInputGrad: boolean): tf.Tensor2D | undefined
}

/** Fully connected layer `y = xW + b`. */
export function denseLayer(fanIn: number, fanOut: number): Layer {
  return {
    paramShapes: [[fanIn, fanOut], [fanOut]],
    outputSize: fanOut,
    forward(x, [w, b], trace) {
      const y = tf.add(tf.matMul(x, w as tf.Tensor2D), b as tf.Tensor1D) as tf.Tensor2D
      const record: ParamLayerTrace = { input: x, positions: 1 }
      trace?.push(record)
      return { y, cache: record }
    },
    backward(dy, [w], cache, needInputGrad) {
      ;(cache as ParamLayerTrace).outputGrad = dy
      return needInputGrad ? tf.matMul(dy, w as tf.Tensor2D, false, true) : undefined
    },
  }
}

/** Element-wise non-linearity. */
export function activationLayer(size: number, fn: Activation): Layer {
  return {
    paramShapes: [],
    outputSize: size,
    forward(x) {
      const y = fn === 'relu' ? tf.relu(x) : fn === 'tanh' ? tf.tanh(x) : tf.sigmoid(x)
      return { y, cache: { x, y } }
    },
    backward(dy, _params, cache) {
      const { x, y } = cache as { x: tf.Tensor2D; y: tf.Tensor2D }
      if (fn === 'relu') return tf.mul(dy, tf.step(x)) as tf.Tensor2D
      if (fn === 'tanh') return tf.mul(dy, tf.sub(1, tf.square(y))) as tf.Tensor2D
      return tf.mul(dy, tf.mul(y, tf.sub(1, y))) as tf.Tensor2D
    },
  }
}

/**
 * Constant 0/1 matrix `[h·w, h·w·k²]` that gathers every k×k same-padded patch of an h×w plane.
 * Building convolution from it (im2col by matMul) gives every backend the same small kernel set —
 * the wasm backend has no Conv2DBackpropFilter — and exposes the patch matrix that per-example
 * gradient norms need.
 */
function patchMatrix(h: number, w: number, k: number): Float32Array {
  const r = (k - 1) / 2
  const cols = h * w * k * k
  const m = new Float32Array(h * w * cols)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const t = y * w + x
      for (let dy = 0; dy < k; dy++) {
        for (let dx = 0; dx < k; dx++) {
          const sy = y + dy - r
          const sx = x + dx - r
          if (sy < 0 || sy >= h || sx < 0 || sx >= w) continue
          m[(sy * w + sx) * cols + t * k * k + dy * k + dx] = 1
        }
      }
    }
  }
  return m
}

/**
 * k×k convolution, stride 1, same padding, channels-first `[batch, c·h·w]` in and
 * `[batch, f·h·w]` out; weights `[c·k², f]`.
 */
export function convLayer(h: number, w: number, channels: number, filters: number, k = 3): Layer {
  const positions = h * w
  const patchWidth = channels * k * k
  let gather: tf.Tensor2D | undefined
  const gatherMatrix = () => (gather ??= tf.keep(tf.tensor2d(patchMatrix(h, w, k), [positions, positions * k * k])))
  return {
    paramShapes: [[patchWidth, filters], [filters]],
    outputSize: filters * positions,
    forward(x, [kernel, bias], trace) {
      const batch = x.shape[0]
      const planes = tf.reshape(x, [batch * channels, positions])
      const gathered = tf.reshape(tf.matMul(planes, gatherMatrix()), [batch, channels, positions, k * k])
      const patches = tf.reshape(tf.transpose(gathered, [0, 2, 1, 3]), [batch * positions, patchWidth]) as tf.Tensor2D
      const z = tf.add(tf.matMul(patches, kernel as tf.Tensor2D), bias as tf.Tensor1D)
      const y = tf.reshape(tf.transpose(tf.reshape(z, [batch, positions, filters]), [0, 2, 1]), [batch, filters * positions]) as tf.Tensor2D
      const record: ParamLayerTrace = { input: patches, positions }
      trace?.push(record)
      return { y, cache: { record, batch } }
    },
    backward(dy, [kernel], cache, needInputGrad) {
      const { record, batch } = cache as { record: ParamLayerTrace; batch: number }
      const dz = tf.reshape(tf.transpose(tf.reshape(dy, [batch, filters, positions]), [0, 2, 1]), [batch * positions, filters]) as tf.Tensor2D
      record.outputGrad = dz
      if (!needInputGrad) return undefined
      const dPatches = tf.reshape(tf.matMul(dz, kernel as tf.Tensor2D, false, true), [batch, positions, channels, k * k])
      const dGathered = tf.reshape(tf.transpose(dPatches, [0, 2, 1, 3]), [batch * channels, positions * k * k])
      return tf.reshape(tf.matMul(dGathered, gatherMatrix(), false, true), [batch, channels * positions]) as tf.Tensor2D
    },
  }
}

/** 2×2 average pooling over channels-first planes, as a constant matMul (no pooling kernels needed). */
export function avgPoolLayer(h: number, w: number, channels: number): Layer {
  const oh = h / 2
  const ow = w / 2
  let pool: tf.Tensor2D | undefined
  const poolMatrix = () => {
    if (pool === undefined) {
      const m = new Float32Array(h * w * oh * ow)
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[(y * w + x) * oh * ow + Math.floor(y / 2) * ow + Math.floor(x / 2)] = 0.25
      pool = tf.keep(tf.tensor2d(m, [h * w, oh * ow]))
    }
    return pool
  }
  return {
    paramShapes: [],
    outputSize: channels * oh * ow,
    forward(x) {
      const batch = x.shape[0]
      const y = tf.reshape(tf.matMul(tf.reshape(x, [batch * channels, h * w]), poolMatrix()), [batch, channels * oh * ow]) as tf.Tensor2D
      return { y, cache: batch }
    },
    backward(dy, _params, cache) {
      const batch = cache as number
      const dx = tf.matMul(tf.reshape(dy, [batch * channels, oh * ow]), poolMatrix(), false, true)
      return tf.reshape(dx, [batch, channels * h * w]) as tf.Tensor2D
    },
  }
}
