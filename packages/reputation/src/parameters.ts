import { UINT256_MAX, WAD } from './constants.js'
import { InvalidArgumentError } from './errors.js'
import { toWad } from './fixed-point.js'

/**
 * Per-consortium reputation parameters, all WAD (1e18 = 1.0). The contract stores the same values;
 * see FIXED_POINT.md.
 */
export interface ReputationParameters {
  /** Evidence kept per round, λ ∈ (0, 1e18]. @default 0.9e18 */
  readonly decay: bigint
  /** Positive evidence added for an accepted update. @default 1e18 */
  readonly weightAccepted: bigint
  /** Negative evidence added for a rejected update. @default 2e18 */
  readonly weightRejected: bigint
  /** Negative evidence added when a hospital committed but did not share (or did not commit). @default 0.5e18 */
  readonly weightAbsent: bigint
  /** Negative evidence added to a committee member who disagreed with the quorum. @default 1e18 */
  readonly weightDisagreement: bigint
  /** Non-informative prior weight W of subjective logic, > 0. @default 2e18 */
  readonly priorWeight: bigint
  /** Base rate a ∈ [0, 1e18]: the score of a hospital without evidence. @default 0.5e18 */
  readonly baseRate: bigint
}

/** The defaults of FIXED_POINT.md. */
export const DEFAULT_REPUTATION_PARAMETERS: ReputationParameters = Object.freeze({
  decay: (9n * WAD) / 10n,
  weightAccepted: WAD,
  weightRejected: 2n * WAD,
  weightAbsent: WAD / 2n,
  weightDisagreement: WAD,
  priorWeight: 2n * WAD,
  baseRate: WAD / 2n,
})

function formatBound(value: bigint): string {
  if (value === UINT256_MAX) return '2^256 − 1'
  if (value === WAD) return '1e18'
  return value.toString()
}

function requireRange(name: string, value: bigint, min: bigint, max: bigint, hint: string): void {
  if (typeof value !== 'bigint') {
    throw new InvalidArgumentError(`params.${name}`, `must be a bigint (WAD), got ${typeof value}`, hint)
  }
  if (value < min || value > max) {
    throw new InvalidArgumentError(`params.${name}`, `must be in [${formatBound(min)}, ${formatBound(max)}], got ${value}`, hint)
  }
}

/**
 * Checks every parameter against its domain.
 *
 * @throws {@link InvalidArgumentError} naming the first offending parameter.
 */
export function validateReputationParameters(params: ReputationParameters): void {
  requireRange('decay', params.decay, 1n, WAD, 'decay is the WAD fraction of evidence kept per round, in (0, 1e18].')
  for (const name of ['weightAccepted', 'weightRejected', 'weightAbsent', 'weightDisagreement'] as const) {
    requireRange(name, params[name], 0n, UINT256_MAX, 'Event weights are non-negative WAD amounts of evidence.')
  }
  requireRange(
    'priorWeight',
    params.priorWeight,
    1n,
    UINT256_MAX,
    'The prior weight W must be > 0, otherwise the opinion of a hospital without evidence is 0/0.',
  )
  requireRange('baseRate', params.baseRate, 0n, WAD, 'The base rate is a WAD probability in [0, 1e18].')
}

/**
 * Builds parameters from the defaults and float overrides (`{ decay: 0.95 }`), converted to WAD
 * exactly through their decimal representation.
 */
export function reputationParameters(
  overrides: Partial<Record<keyof ReputationParameters, number | string | bigint>> = {},
): ReputationParameters {
  const out: Record<string, bigint> = { ...DEFAULT_REPUTATION_PARAMETERS }
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in DEFAULT_REPUTATION_PARAMETERS)) {
      throw new InvalidArgumentError(`overrides.${key}`, 'unknown reputation parameter', `Use one of ${Object.keys(DEFAULT_REPUTATION_PARAMETERS).join(', ')}.`)
    }
    if (value === undefined) continue
    out[key] = typeof value === 'bigint' ? value : toWad(value)
  }
  const params = out as unknown as ReputationParameters
  validateReputationParameters(params)
  return Object.freeze(params)
}
