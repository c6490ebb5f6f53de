import { requireArgument } from '../errors.js'

/** Client-side optimizer choice. */
export type OptimizerConfig =
  | {
      readonly kind: 'sgd'
      readonly learningRate: number
      /** Heavy-ball momentum. @default 0 */
      readonly momentum?: number
    }
  | {
      readonly kind: 'adam'
      readonly learningRate: number
      /** @default 0.9 */
      readonly beta1?: number
      /** @default 0.999 */
      readonly beta2?: number
      /** @default 1e-8 */
      readonly epsilon?: number
    }

/** Updates a flat parameter vector in place from a flat gradient. */
export interface Optimizer {
  step(params: Float32Array, grad: Float32Array): void
}

/** A fresh optimizer (state starts at zero each local training run). */
export function createOptimizer(config: OptimizerConfig, size: number): Optimizer {
  requireArgument(config.learningRate > 0 && Number.isFinite(config.learningRate), 'learningRate', 'a positive number', config.learningRate)
  if (config.kind === 'sgd') {
    const momentum = config.momentum ?? 0
    const velocity = momentum > 0 ? new Float32Array(size) : undefined
    return {
      step(params, grad) {
        for (let i = 0; i < params.length; i++) {
          let g = grad[i] as number
          if (velocity !== undefined) {
            g = momentum * (velocity[i] as number) + g
            velocity[i] = g
          }
          params[i] = (params[i] as number) - config.learningRate * g
        }
      },
    }
  }
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, learningRate } = config
  const m = new Float32Array(size)
  const v = new Float32Array(size)
  let t = 0
  return {
    step(params, grad) {
      t++
      const c1 = 1 - beta1 ** t
      const c2 = 1 - beta2 ** t
      for (let i = 0; i < params.length; i++) {
        const g = grad[i] as number
        const mi = beta1 * (m[i] as number) + (1 - beta1) * g
        const vi = beta2 * (v[i] as number) + (1 - beta2) * g * g
        m[i] = mi
        v[i] = vi
        params[i] = (params[i] as number) - (learningRate * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon)
      }
    },
  }
}
