/**
 * Leave-one-out contribution: `U(N) − U(N \ {i})`, n + 1 utility evaluations. Fast and simple but
 * unfair to redundant participants (two identical good updates each get ≈ 0).
 */
import { cachedUtility, checkPlayers, type ContributionReturnType, type SubsetUtility } from './utility.js'

/** Input of {@link leaveOneOut}. */
export interface LeaveOneOutParameters {
  /** Number of participants n (coalition members are 0 … n − 1). */
  readonly players: number
  /** Coalition utility, higher is better (see {@link lossUtility}). */
  readonly utility: SubsetUtility
}

/**
 * Leave-one-out values of every participant, evaluated sequentially (deterministic order).
 *
 * @throws {@link InvalidArgumentError} for `players < 1` or a non-finite utility.
 */
export async function leaveOneOut(params: LeaveOneOutParameters): Promise<ContributionReturnType> {
  checkPlayers(params.players)
  const utility = cachedUtility(params.utility)
  const all = Array.from({ length: params.players }, (_, i) => i)
  const full = await utility(all)
  const values: number[] = []
  for (const i of all) values.push(full - (await utility(all.filter((j) => j !== i))))
  return { values, evaluations: utility.evaluations() }
}
