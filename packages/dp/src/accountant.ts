/**
 * A stateful RDP accountant over the pure analysis in `analysis/rdp.ts` (the Opacus split:
 * the accountant keeps the history, the maths stays pure).
 */
import { AccountantStateError, InvalidArgumentError } from './errors.js'
import {
  checkDelta,
  checkNoiseMultiplier,
  checkOrders,
  checkSampleRate,
  checkSteps,
  DEFAULT_RDP_ORDERS,
  privacySpentUnchecked,
  rdpUnchecked,
} from './analysis/rdp.js'
import type { EpsilonAtOrder } from './analysis/rdp.js'

/** One entry of the accountant's history: `steps` consecutive steps at the same σ and q. */
export interface AccountantStep {
  /** Noise multiplier σ ≥ 0 of these steps. */
  readonly noiseMultiplier: number
  /** Poisson sampling rate q ∈ (0, 1] of these steps. */
  readonly sampleRate: number
  /** How many steps (an integer ≥ 0). @default 1 */
  readonly steps: number
}

/** Input of {@link RdpAccountant.step}: `steps` defaults to 1. */
export interface AccountantStepInput {
  /** Noise multiplier σ ≥ 0. */
  readonly noiseMultiplier: number
  /** Poisson sampling rate q ∈ (0, 1]. */
  readonly sampleRate: number
  /** How many steps at this σ and q. @default 1 */
  readonly steps?: number
}

/** Serialized form of an {@link RdpAccountant}, as produced by `toJSON()`. */
export interface RdpAccountantJson {
  /** Always `'rdp'`. */
  readonly mechanism: 'rdp'
  /** Format version, 1. */
  readonly version: 1
  /** The RDP orders, or omitted for {@link DEFAULT_RDP_ORDERS}. */
  readonly orders?: readonly number[]
  /** The merged step history, oldest first. */
  readonly history: readonly AccountantStep[]
}

/** Options of {@link RdpAccountant}. */
export interface RdpAccountantInit {
  /** RDP orders evaluated. @default DEFAULT_RDP_ORDERS */
  readonly orders?: readonly number[]
  /** Initial history (e.g. restored from storage). @default [] */
  readonly history?: readonly AccountantStep[]
}

/**
 * Per-(σ, q) single-step RDP vectors, shared by every accountant using the same orders: a
 * training run has few distinct (σ, q) pairs, and computing one vector costs ~1–2 ms.
 */
const rdpVectorCache = new WeakMap<readonly number[], Map<string, Float64Array>>()
const RDP_VECTOR_CACHE_LIMIT = 4096

function singleStepRdp(orders: readonly number[], sigma: number, q: number): Float64Array {
  let byPair = rdpVectorCache.get(orders)
  if (byPair === undefined) {
    byPair = new Map()
    rdpVectorCache.set(orders, byPair)
  }
  const key = `${sigma}|${q}`
  let vector = byPair.get(key)
  if (vector === undefined) {
    vector = new Float64Array(orders.length)
    for (let k = 0; k < orders.length; k++) vector[k] = rdpUnchecked(q, sigma, orders[k] as number)
    if (byPair.size >= RDP_VECTOR_CACHE_LIMIT) byPair.clear()
    byPair.set(key, vector)
  }
  return vector
}

/**
 * Rényi-DP accountant for DP-SGD / DP-FedAvg: records heterogeneous steps (σ and q may change
 * from round to round) and reports ε for any δ. Consecutive steps with the same σ and q are
 * merged into one history entry, as Opacus's `RDPAccountant` does.
 *
 * The accumulated RDP vector is maintained incrementally, so `getEpsilon` costs one pass over
 * the orders no matter how long the history is.
 *
 * @example
 * ```ts
 * const accountant = new RdpAccountant()
 * accountant.step({ noiseMultiplier: 1.1, sampleRate: 0.01, steps: 100 })
 * accountant.step({ noiseMultiplier: 0.9, sampleRate: 0.01, steps: 100 })
 * accountant.getEpsilon(1e-5) // → ε for δ = 1e-5
 * const restored = RdpAccountant.fromJSON(JSON.parse(JSON.stringify(accountant)))
 * ```
 */
export class RdpAccountant {
  /** The mechanism name, as in Opacus (`'rdp'`). */
  readonly mechanism = 'rdp' as const
  /** The RDP orders this accountant evaluates. */
  readonly orders: readonly number[]
  private readonly _history: AccountantStep[] = []
  private readonly _rdp: Float64Array

  constructor(init: RdpAccountantInit = {}) {
    const orders = init.orders ?? DEFAULT_RDP_ORDERS
    checkOrders(orders)
    this.orders = orders === DEFAULT_RDP_ORDERS ? DEFAULT_RDP_ORDERS : Object.freeze([...orders])
    this._rdp = new Float64Array(this.orders.length)
    for (const entry of init.history ?? []) this.step(entry)
  }

  /**
   * Records `steps` steps (default 1) of the sampled Gaussian mechanism with noise multiplier σ
   * and sampling rate q.
   * @throws {InvalidArgumentError} on σ < 0, q ∉ (0, 1] or a non-integer step count
   */
  step(input: AccountantStepInput): void {
    const steps = input.steps ?? 1
    checkNoiseMultiplier(input.noiseMultiplier)
    checkSampleRate(input.sampleRate)
    checkSteps(steps)
    if (steps === 0) return
    const vector = singleStepRdp(this.orders, input.noiseMultiplier, input.sampleRate)
    for (let k = 0; k < vector.length; k++) this._rdp[k] = (this._rdp[k] as number) + steps * (vector[k] as number)
    const last = this._history[this._history.length - 1]
    if (last !== undefined && last.noiseMultiplier === input.noiseMultiplier && last.sampleRate === input.sampleRate) {
      this._history[this._history.length - 1] = { ...last, steps: last.steps + steps }
    } else {
      this._history.push({ noiseMultiplier: input.noiseMultiplier, sampleRate: input.sampleRate, steps })
    }
  }

  /** The history, oldest first (consecutive identical (σ, q) merged). */
  get history(): readonly AccountantStep[] {
    return this._history.map((entry) => ({ ...entry }))
  }

  /** Total number of steps recorded. */
  get totalSteps(): number {
    return this._history.reduce((sum, entry) => sum + entry.steps, 0)
  }

  /** The accumulated RDP at each order (a copy). */
  get rdp(): Float64Array {
    return this._rdp.slice()
  }

  /**
   * ε for the given δ (0 when nothing was recorded, as Opacus).
   * @throws {InvalidArgumentError} on δ ∉ (0, 1)
   */
  getEpsilon(delta: number): number {
    return this.getPrivacySpent(delta).epsilon
  }

  /**
   * ε for the given δ and the optimal order (ε = 0 and order NaN when nothing was recorded).
   * @throws {InvalidArgumentError} on δ ∉ (0, 1)
   */
  getPrivacySpent(delta: number): EpsilonAtOrder {
    checkDelta(delta)
    if (this._history.length === 0) return { epsilon: 0, order: Number.NaN }
    return privacySpentUnchecked(this.orders, this._rdp, Math.log(delta))
  }

  /**
   * ε that the accountant would report for δ if `extra` steps were recorded — without
   * recording them. Used to refuse a step before it is taken.
   */
  epsilonAfter(delta: number, extra: AccountantStepInput | readonly AccountantStepInput[]): number {
    checkDelta(delta)
    const list = Array.isArray(extra) ? (extra as readonly AccountantStepInput[]) : [extra as AccountantStepInput]
    const rdp = this._rdp.slice()
    let any = this._history.length > 0
    for (const input of list) {
      const steps = input.steps ?? 1
      checkNoiseMultiplier(input.noiseMultiplier)
      checkSampleRate(input.sampleRate)
      checkSteps(steps)
      if (steps === 0) continue
      any = true
      const vector = singleStepRdp(this.orders, input.noiseMultiplier, input.sampleRate)
      for (let k = 0; k < vector.length; k++) rdp[k] = (rdp[k] as number) + steps * (vector[k] as number)
    }
    if (!any) return 0
    return privacySpentUnchecked(this.orders, rdp, Math.log(delta)).epsilon
  }

  /** An independent copy with the same orders and history. */
  clone(): RdpAccountant {
    return new RdpAccountant({ orders: this.orders, history: this._history })
  }

  /** JSON-serializable state (history and, when not the default, the orders). */
  toJSON(): RdpAccountantJson {
    return {
      mechanism: 'rdp',
      version: 1,
      ...(this.orders === DEFAULT_RDP_ORDERS ? {} : { orders: [...this.orders] }),
      history: this.history,
    }
  }

  /**
   * Restores an accountant from {@link RdpAccountant.toJSON} output (e.g. after `JSON.parse`).
   * @throws {AccountantStateError} when the value is not a valid serialized accountant
   */
  static fromJSON(value: unknown): RdpAccountant {
    if (typeof value !== 'object' || value === null) throw new AccountantStateError('expected an object')
    const json = value as Partial<Record<keyof RdpAccountantJson, unknown>>
    if (json.mechanism !== 'rdp') throw new AccountantStateError(`mechanism must be "rdp", got ${String(json.mechanism)}`)
    if (json.version !== 1) throw new AccountantStateError(`unsupported version ${String(json.version)}`)
    if (!Array.isArray(json.history)) throw new AccountantStateError('history must be an array')
    if (json.orders !== undefined && !(Array.isArray(json.orders) && json.orders.every((o) => typeof o === 'number'))) {
      throw new AccountantStateError('orders must be an array of numbers')
    }
    const history = json.history.map((entry: unknown, index: number): AccountantStep => {
      const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>
      const { noiseMultiplier, sampleRate, steps } = e
      if (typeof noiseMultiplier !== 'number' || typeof sampleRate !== 'number' || typeof steps !== 'number') {
        throw new AccountantStateError(`history[${index}] must have numeric noiseMultiplier, sampleRate and steps`)
      }
      return { noiseMultiplier, sampleRate, steps }
    })
    try {
      return new RdpAccountant({ ...(json.orders === undefined ? {} : { orders: json.orders as number[] }), history })
    } catch (cause) {
      if (cause instanceof InvalidArgumentError) throw new AccountantStateError(cause.shortMessage, cause)
      throw cause
    }
  }
}

/** What every privacy accountant offers (Opacus's `IAccountant`: step, get_epsilon, state). */
export interface PrivacyAccountant {
  /** Name of the analysis, e.g. `'rdp'`. */
  readonly mechanism: string
  /** Records steps of the sampled Gaussian mechanism. */
  step(input: AccountantStepInput): void
  /** ε for the given δ after the recorded steps. */
  getEpsilon(delta: number): number
  /** Serializable state. */
  toJSON(): unknown
}

/**
 * The accountants available by mechanism name. An explicit table, filled here and nowhere else
 * (no registration as a side effect of importing a module).
 */
export const ACCOUNTANTS = {
  rdp: (init?: RdpAccountantInit): RdpAccountant => new RdpAccountant(init),
} as const

/** Names accepted by {@link createAccountant}. */
export type AccountantMechanism = keyof typeof ACCOUNTANTS

/**
 * Creates an accountant by mechanism name.
 * @throws {InvalidArgumentError} for an unknown mechanism
 */
export function createAccountant(mechanism: AccountantMechanism = 'rdp', init?: RdpAccountantInit): PrivacyAccountant {
  const factory = (ACCOUNTANTS as Record<string, ((init?: RdpAccountantInit) => PrivacyAccountant) | undefined>)[mechanism]
  if (factory === undefined) {
    throw new InvalidArgumentError('mechanism', `unknown accountant ${JSON.stringify(mechanism)}`, `use one of: ${Object.keys(ACCOUNTANTS).join(', ')}`)
  }
  return factory(init)
}
