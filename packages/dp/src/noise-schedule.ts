/**
 * Per-round noise multipliers that spend a total (ε, δ) budget exactly by the last round.
 *
 * Policies:
 * - `constant` (default): one σ for every round.
 * - `decaying`: less noise as training converges, σₜ = s·rₜ with an exponential or time-based
 *   profile rₜ (the pre-defined schedules of L. Yu, L. Liu, C. Pu, M. E. Gursoy, S. Truex,
 *   "Differentially Private Model Publishing for Deep Learning", IEEE S&P 2019, §IV).
 * - `loss-aware`: a share of the budget is held in reserve; each time the validation loss
 *   plateaus, part of the reserve is released and the remaining rounds are re-planned with less
 *   noise (the validation-based schedule of Yu et al. 2019). The rest of the reserve is released
 *   on the last round, so the budget is still spent exactly, never more.
 *
 * The scale s is found by a bracketing root search on log s, and every plan and re-plan is checked
 * with the RDP accountant (history plus planned rounds) before it is adopted.
 */
import { RdpAccountant } from './accountant.js'
import type { AccountantStepInput } from './accountant.js'
import { checkDelta, checkNoiseMultiplier, checkSampleRate, checkSteps, MAX_NOISE_MULTIPLIER } from './analysis/rdp.js'
import { InvalidArgumentError, ScheduleInfeasibleError } from './errors.js'

/** How σ varies across rounds. */
export type NoiseSchedulePolicy =
  | { readonly kind: 'constant' }
  | {
      readonly kind: 'decaying'
      /** Profile: `exponential` rₜ = ρ^(t/(R−1)); `time` rₜ = 1/(1 + (1/ρ − 1)·t/(R−1)). @default 'exponential' */
      readonly shape?: 'exponential' | 'time'
      /** ρ = σ of the last round / σ of the first, in (0, 1]. @default 0.5 */
      readonly finalRatio?: number
    }
  | {
      readonly kind: 'loss-aware'
      /** Share of ε held back for plateaus, in [0, 1). @default 0.2 */
      readonly reserveFraction?: number
      /** Rounds without sufficient improvement that make a plateau. @default 3 */
      readonly patience?: number
      /** Relative improvement of the best validation loss below which a round does not count as progress. @default 0.001 */
      readonly minImprovement?: number
      /** Share of the remaining reserve released at each plateau, in (0, 1]. @default 0.5 */
      readonly releaseFraction?: number
    }

/** Options of {@link NoiseSchedule}. */
export interface NoiseScheduleInit {
  /** Total ε to spend by the end of the last round (> 0). */
  readonly targetEpsilon: number
  /** δ of the guarantee, in (0, 1). */
  readonly delta: number
  /** Number of rounds (a positive integer). */
  readonly rounds: number
  /** DP-SGD steps per round (a positive integer). */
  readonly stepsPerRound: number
  /** Poisson sampling rate q ∈ (0, 1] of each step. */
  readonly sampleRate: number
  /** @default { kind: 'constant' } */
  readonly policy?: NoiseSchedulePolicy
  /**
   * Relative precision of the landing: the plan's final ε lies in
   * [target·(1 − tolerance), target]. @default 1e-6
   */
  readonly tolerance?: number
}

/** What happened in a round, reported to {@link NoiseSchedule.completeRound}. */
export interface CompletedRound {
  /** Validation loss after the round (used by the `loss-aware` policy). */
  readonly validationLoss?: number
  /** The σ actually used, if it differed from the plan. @default the planned σ */
  readonly noiseMultiplier?: number
  /** The steps actually taken, if they differed from the plan. @default stepsPerRound */
  readonly steps?: number
}

const SEARCH_MAX_EVALUATIONS = 200
const SEARCH_MIN_SCALE = 1e-6

/**
 * Plans σ per round for a total (ε, δ) budget and re-plans as rounds complete.
 *
 * @example
 * ```ts
 * const schedule = new NoiseSchedule({ targetEpsilon: 3, delta: 1e-5, rounds: 50, stepsPerRound: 20, sampleRate: 0.01,
 *                                      policy: { kind: 'decaying', finalRatio: 0.6 } })
 * for (let round = 0; round < 50; round++) {
 *   const z = schedule.nextNoiseMultiplier()
 *   // … train one round with noise multiplier z, evaluate …
 *   schedule.completeRound({ validationLoss })
 * }
 * schedule.epsilonSpent // ≈ 3, never above
 * ```
 */
export class NoiseSchedule {
  /** Total ε to spend by the end of the last round. */
  readonly targetEpsilon: number
  /** δ of the guarantee. */
  readonly delta: number
  /** Number of rounds planned. */
  readonly rounds: number
  /** DP-SGD steps per round. */
  readonly stepsPerRound: number
  /** Sampling rate q of each step. */
  readonly sampleRate: number
  /** How σ varies across rounds. */
  readonly policy: NoiseSchedulePolicy
  /** Relative precision of the landing on the target. */
  readonly tolerance: number
  private readonly _accountant = new RdpAccountant()
  private readonly _used: number[] = []
  private _plan: number[] = []
  private _plannedEpsilon = 0
  /** Share of the target the current plan spends (loss-aware keeps 1 − level in reserve). */
  private _level: number
  private _bestLoss = Number.POSITIVE_INFINITY
  private _roundsWithoutProgress = 0

  /**
   * @throws {InvalidArgumentError} on an argument outside its domain
   * @throws {ScheduleInfeasibleError} when no σ ≤ 10⁶ reaches the target
   */
  constructor(init: NoiseScheduleInit) {
    const { targetEpsilon, delta, rounds, stepsPerRound, sampleRate, policy = { kind: 'constant' }, tolerance = 1e-6 } = init
    if (!(targetEpsilon > 0) || !Number.isFinite(targetEpsilon)) {
      throw new InvalidArgumentError('targetEpsilon', `must be a positive finite number, got ${targetEpsilon}`)
    }
    checkDelta(delta)
    checkSampleRate(sampleRate)
    checkSteps(rounds, 'rounds')
    checkSteps(stepsPerRound, 'stepsPerRound')
    if (rounds < 1) throw new InvalidArgumentError('rounds', 'must be at least 1')
    if (stepsPerRound < 1) throw new InvalidArgumentError('stepsPerRound', 'must be at least 1')
    if (!(tolerance > 0 && tolerance < 0.1)) throw new InvalidArgumentError('tolerance', `must be in (0, 0.1), got ${tolerance}`)
    validatePolicy(policy)
    this.targetEpsilon = targetEpsilon
    this.delta = delta
    this.rounds = rounds
    this.stepsPerRound = stepsPerRound
    this.sampleRate = sampleRate
    this.policy = policy
    this.tolerance = tolerance
    this._level = policy.kind === 'loss-aware' && rounds > 1 ? 1 - (policy.reserveFraction ?? 0.2) : 1
    this._replan()
  }

  /** Index of the next round (0-based); equals `rounds` when the schedule is finished. */
  get round(): number {
    return this._used.length
  }

  /** σ of every round: the ones used so far, then the current plan. */
  get plan(): readonly number[] {
    return [...this._used, ...this._plan]
  }

  /** ε the current plan reaches after the last round (verified by the accountant). */
  get plannedEpsilon(): number {
    return this._plannedEpsilon
  }

  /** ε spent by the rounds completed so far. */
  get epsilonSpent(): number {
    return this._accountant.getEpsilon(this.delta)
  }

  /** Share of the budget still held in reserve (loss-aware policy; 0 otherwise). */
  get reserveFraction(): number {
    return 1 - this._level
  }

  /** A copy of the accountant holding the completed rounds. */
  get accountant(): RdpAccountant {
    return this._accountant.clone()
  }

  /**
   * σ for the next round.
   * @throws {ScheduleInfeasibleError} when every round has been completed
   */
  nextNoiseMultiplier(): number {
    const next = this._plan[0]
    if (next === undefined) {
      throw new ScheduleInfeasibleError(`all ${this.rounds} rounds are complete`, { epsilonSpent: this.epsilonSpent, targetEpsilon: this.targetEpsilon }, 'start a new schedule for a new budget')
    }
    return next
  }

  /**
   * Records the round just trained and re-plans the remaining rounds when needed (the round
   * deviated from the plan, or — loss-aware — the validation loss plateaued, or the next round is
   * the last one and reserve remains).
   * @throws {ScheduleInfeasibleError} when every round is already complete, or the round as
   *   reported would take ε past the target (nothing is recorded then)
   * @throws {InvalidArgumentError} on a negative σ, a bad step count or a NaN loss
   */
  completeRound(result: CompletedRound = {}): void {
    const planned = this.nextNoiseMultiplier()
    const noiseMultiplier = result.noiseMultiplier ?? planned
    const steps = result.steps ?? this.stepsPerRound
    checkNoiseMultiplier(noiseMultiplier)
    checkSteps(steps)
    if (result.validationLoss !== undefined && Number.isNaN(result.validationLoss)) {
      throw new InvalidArgumentError('validationLoss', 'is NaN', 'omit it when no validation loss was computed')
    }
    const step: AccountantStepInput = { noiseMultiplier, sampleRate: this.sampleRate, steps }
    const after = this._accountant.epsilonAfter(this.delta, step)
    if (after > this.targetEpsilon) {
      throw new ScheduleInfeasibleError(
        `round ${this.round} as reported (σ = ${noiseMultiplier}, ${steps} steps) would spend ε = ${after}, over the target ${this.targetEpsilon}`,
        { epsilonSpent: this.epsilonSpent, targetEpsilon: this.targetEpsilon },
        'train with the planned noise multiplier',
      )
    }
    this._accountant.step(step)
    this._used.push(noiseMultiplier)
    this._plan.shift()
    let replan = noiseMultiplier !== planned || steps !== this.stepsPerRound
    if (this.policy.kind === 'loss-aware' && result.validationLoss !== undefined && this._observeLoss(result.validationLoss)) {
      this._level = Math.min(1, this._level + (1 - this._level) * (this.policy.releaseFraction ?? 0.5))
      replan = true
    }
    if (this._plan.length === 1 && this._level < 1) {
      this._level = 1
      replan = true
    }
    if (replan && this._plan.length > 0) this._replan()
  }

  /** Tracks the best loss; true when `patience` rounds in a row brought no sufficient improvement. */
  private _observeLoss(loss: number): boolean {
    const policy = this.policy as Extract<NoiseSchedulePolicy, { kind: 'loss-aware' }>
    const minImprovement = policy.minImprovement ?? 0.001
    const patience = policy.patience ?? 3
    if (loss < this._bestLoss - minImprovement * Math.abs(this._bestLoss === Number.POSITIVE_INFINITY ? loss : this._bestLoss)) {
      this._bestLoss = loss
      this._roundsWithoutProgress = 0
      return false
    }
    this._bestLoss = Math.min(this._bestLoss, loss)
    this._roundsWithoutProgress++
    if (this._roundsWithoutProgress >= patience) {
      this._roundsWithoutProgress = 0
      return true
    }
    return false
  }

  /** Relative σ profile of the remaining rounds (first remaining round = its own index). */
  private _profile(): number[] {
    const remaining = this.rounds - this._used.length
    const policy = this.policy
    if (policy.kind !== 'decaying' || this.rounds === 1) return new Array<number>(remaining).fill(1)
    const ratio = policy.finalRatio ?? 0.5
    const profile: number[] = []
    for (let t = this._used.length; t < this.rounds; t++) {
      const progress = t / (this.rounds - 1)
      profile.push(policy.shape === 'time' ? 1 / (1 + (1 / ratio - 1) * progress) : ratio ** progress)
    }
    return profile
  }

  /**
   * Finds the smallest scale s such that history + (s·rₜ) spends at most level·target, to within
   * the tolerance, then verifies the plan with the accountant.
   */
  private _replan(): void {
    const profile = this._profile()
    const level = this._level * this.targetEpsilon
    const epsilonAt = (scale: number): number =>
      this._accountant.epsilonAfter(
        this.delta,
        profile.map((r) => ({ noiseMultiplier: scale * r, sampleRate: this.sampleRate, steps: this.stepsPerRound })),
      )
    const infeasible = (): never => {
      throw new ScheduleInfeasibleError(
        `no noise multiplier up to ${MAX_NOISE_MULTIPLIER} keeps ε within ${level} over the remaining ${profile.length} rounds`,
        { epsilonSpent: this.epsilonSpent, targetEpsilon: this.targetEpsilon },
      )
    }
    // Bracket: hi feasible (ε ≤ level), lo infeasible. ε decreases as the scale grows.
    let hi = this._plan[0] ?? 1
    let epsHi = epsilonAt(hi)
    let evaluations = 1
    while (epsHi > level) {
      hi *= 2
      if (hi > MAX_NOISE_MULTIPLIER) infeasible()
      epsHi = epsilonAt(hi)
      evaluations++
    }
    let lo = hi / 2
    let epsLo = epsilonAt(lo)
    evaluations++
    while (epsLo <= level && lo > SEARCH_MIN_SCALE) {
      hi = lo
      epsHi = epsLo
      lo /= 2
      epsLo = epsilonAt(lo)
      evaluations++
    }
    // Illinois (modified regula falsi) on log-scale: superlinear, and it keeps the bracket.
    const floor = level * (1 - this.tolerance)
    let xLo = Math.log(lo)
    let xHi = Math.log(hi)
    let gLo = epsLo - level
    let gHi = epsHi - level
    let side = 0
    while (epsHi < floor && evaluations < SEARCH_MAX_EVALUATIONS && Number.isFinite(gLo)) {
      let x = (xLo * gHi - xHi * gLo) / (gHi - gLo)
      if (!(x > xLo && x < xHi)) x = (xLo + xHi) / 2
      const eps = epsilonAt(Math.exp(x))
      evaluations++
      const g = eps - level
      if (g <= 0) {
        xHi = x
        gHi = g
        epsHi = eps
        if (side === -1) gLo /= 2
        side = -1
      } else {
        xLo = x
        gLo = g
        if (side === 1) gHi /= 2
        side = 1
      }
    }
    // Infinite ε at the low end (σ → 0) defeats the secant; finish by bisection in that case.
    while (epsHi < floor && evaluations < SEARCH_MAX_EVALUATIONS) {
      const x = (xLo + xHi) / 2
      const eps = epsilonAt(Math.exp(x))
      evaluations++
      if (eps <= level) {
        xHi = x
        epsHi = eps
      } else {
        xLo = x
      }
    }
    const scale = Math.exp(xHi)
    const plan = profile.map((r) => scale * r)
    // The check every plan must pass before it is adopted.
    const verified = this._accountant.epsilonAfter(
      this.delta,
      plan.map((noiseMultiplier) => ({ noiseMultiplier, sampleRate: this.sampleRate, steps: this.stepsPerRound })),
    )
    if (!(verified <= level)) infeasible()
    this._plan = plan
    this._plannedEpsilon = verified
  }
}

function validatePolicy(policy: NoiseSchedulePolicy): void {
  switch (policy.kind) {
    case 'constant':
      return
    case 'decaying': {
      const ratio = policy.finalRatio ?? 0.5
      if (!(ratio > 0 && ratio <= 1)) throw new InvalidArgumentError('policy.finalRatio', `must be in (0, 1], got ${ratio}`)
      if (policy.shape !== undefined && policy.shape !== 'exponential' && policy.shape !== 'time') {
        throw new InvalidArgumentError('policy.shape', `must be 'exponential' or 'time', got ${String(policy.shape)}`)
      }
      return
    }
    case 'loss-aware': {
      const { reserveFraction = 0.2, patience = 3, minImprovement = 0.001, releaseFraction = 0.5 } = policy
      if (!(reserveFraction >= 0 && reserveFraction < 1)) throw new InvalidArgumentError('policy.reserveFraction', `must be in [0, 1), got ${reserveFraction}`)
      if (!Number.isSafeInteger(patience) || patience < 1) throw new InvalidArgumentError('policy.patience', `must be a positive integer, got ${patience}`)
      if (!(minImprovement >= 0)) throw new InvalidArgumentError('policy.minImprovement', `must be ≥ 0, got ${minImprovement}`)
      if (!(releaseFraction > 0 && releaseFraction <= 1)) throw new InvalidArgumentError('policy.releaseFraction', `must be in (0, 1], got ${releaseFraction}`)
      return
    }
    default:
      throw new InvalidArgumentError('policy.kind', `must be 'constant', 'decaying' or 'loss-aware', got ${String((policy as { kind: unknown }).kind)}`)
  }
}
