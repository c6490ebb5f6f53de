import { createHash } from 'node:crypto'
import { ModelError } from '../errors.js'
import type { ImageShape } from '../data/schema.js'

/** Hidden-layer non-linearities. */
export type Activation = 'relu' | 'tanh' | 'sigmoid'

/** A model is fully described by one of these; the spec hash binds serialized parameters to it. */
export type ModelSpec =
  | { readonly kind: 'logistic-regression'; readonly inputs: number; readonly classes: number }
  | {
      readonly kind: 'mlp'
      readonly inputs: number
      /** Widths of the hidden layers, e.g. [32] or [64, 32]. */
      readonly hidden: readonly number[]
      /** @default 'relu' */
      readonly activation?: Activation
      readonly classes: number
    }
  | {
      readonly kind: 'cnn'
      readonly image: ImageShape
      /** Filters of the 3×3 same-padded convolution. @default 16 */
      readonly filters?: number
      readonly classes: number
    }

/** Names of the model kinds, for CLI parsing. */
export const MODEL_KINDS = ['logistic-regression', 'mlp', 'cnn'] as const

/**
 * Checks a spec's numbers; `buildNetwork` calls this.
 * @throws {ModelError} `MODEL_INVALID`
 */
export function validateModelSpec(spec: ModelSpec): void {
  const bad = (problem: string): never => {
    throw new ModelError('MODEL_INVALID', `invalid ${spec.kind} spec: ${problem}`, { details: { spec }, hint: 'fix the model spec' })
  }
  const positive = (n: unknown) => Number.isInteger(n) && (n as number) > 0
  if (!positive(spec.classes) || spec.classes < 2) bad(`classes must be an integer ≥ 2, got ${spec.classes}`)
  switch (spec.kind) {
    case 'logistic-regression':
      if (!positive(spec.inputs)) bad(`inputs must be a positive integer, got ${spec.inputs}`)
      break
    case 'mlp':
      if (!positive(spec.inputs)) bad(`inputs must be a positive integer, got ${spec.inputs}`)
      if (!spec.hidden.every(positive)) bad(`hidden widths must be positive integers, got [${spec.hidden.join(', ')}]`)
      break
    case 'cnn': {
      const { height, width, channels } = spec.image
      if (![height, width, channels].every(positive)) bad('image dimensions must be positive integers')
      if (height % 2 !== 0 || width % 2 !== 0) bad(`image ${height}×${width} must have even sides for 2×2 pooling`)
      if (spec.filters !== undefined && !positive(spec.filters)) bad(`filters must be a positive integer, got ${spec.filters}`)
      break
    }
  }
}

/** Canonical JSON (sorted keys) so equal specs hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** sha256 (hex) of the spec's canonical JSON with defaults filled in. */
export function modelSpecHash(spec: ModelSpec): string {
  const normalized =
    spec.kind === 'mlp'
      ? { ...spec, activation: spec.activation ?? 'relu' }
      : spec.kind === 'cnn'
        ? { ...spec, filters: spec.filters ?? 16 }
        : spec
  return createHash('sha256').update(canonical(normalized)).digest('hex')
}
