/**
 * Exact Shapley values by enumerating all 2^n coalitions: the reference for small consortia and
 * for testing the sampled estimators.
 */
import { InvalidArgumentError } from '../errors.js'
import { cachedUtility, checkPlayers, type ContributionReturnType, type SubsetUtility } from './utility.js'

/** Largest n {@link exactShapley} accepts (2^16 coalitions). */
export const MAX_EXACT_SHAPLEY_PLAYERS = 16

/** Input of {@link exactShapley}. */
export interface ExactShapleyParameters {
  /** Number of participants n ≤ {@link MAX_EXACT_SHAPLEY_PLAYERS}. */
  readonly players: number
  /** Coalition utility, higher is better. */
  readonly utility: SubsetUtility
}

/**
 * φ_i = Σ_{S ⊆ N∖{i}} |S|!(n−|S|−1)!/n! · (U(S ∪ {i}) − U(S)).
 *
 * @throws {@link InvalidArgumentError} when n exceeds {@link MAX_EXACT_SHAPLEY_PLAYERS}.
 */
export async function exactShapley(params: ExactShapleyParameters): Promise<ContributionReturnType> {
  checkPlayers(params.players)
  const n = params.players
  if (n > MAX_EXACT_SHAPLEY_PLAYERS) {
    throw new InvalidArgumentError('players', `exact Shapley needs 2^${n} evaluations`, `Use gtgShapley for more than ${MAX_EXACT_SHAPLEY_PLAYERS} participants.`)
  }
  const utility = cachedUtility(params.utility)
  const value = new Float64Array(1 << n)
  for (let mask = 0; mask < 1 << n; mask++) {
    const members: number[] = []
    for (let i = 0; i < n; i++) if ((mask >> i) & 1) members.push(i)
    value[mask] = await utility(members)
  }
  // weight[s] = s!(n−s−1)!/n!, built by recurrence to avoid huge factorials.
  const weight = new Float64Array(n)
  weight[0] = 1 / n
  for (let s = 1; s < n; s++) weight[s] = ((weight[s - 1] ?? 0) * s) / (n - s)
  const values = new Array<number>(n).fill(0)
  for (let mask = 0; mask < 1 << n; mask++) {
    let size = 0
    for (let m = mask; m > 0; m &= m - 1) size++
    for (let i = 0; i < n; i++) {
      if ((mask >> i) & 1) continue
      const marginal = (value[mask | (1 << i)] ?? 0) - (value[mask] ?? 0)
      values[i] = (values[i] ?? 0) + (weight[size] ?? 0) * marginal
    }
  }
  return { values, evaluations: utility.evaluations() }
}
