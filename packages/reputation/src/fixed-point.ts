import { WAD } from './constants.js'
import { InvalidArgumentError } from './errors.js'

export { WAD }

/** a·b / 1e18, rounded down, exactly as Solidity's `a * b / 1e18` on uint256. */
export function wadMul(a: bigint, b: bigint): bigint {
  return (a * b) / WAD
}

/** a·1e18 / b, rounded down, exactly as Solidity's `a * 1e18 / b` on uint256. */
export function wadDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('wadDiv: division by zero')
  return (a * WAD) / b
}

/**
 * `base^n` in WAD by binary exponentiation, rounding down after every multiplication, in the exact
 * order the contract uses (see FIXED_POINT.md, "Decay to round r").
 *
 * @param base - WAD value, normally the decay factor in (0, 1e18].
 * @param n - non-negative exponent (number of rounds).
 * @returns the WAD power; `powWad(x, 0n) === WAD`.
 * @throws {@link InvalidArgumentError} when `n` is negative.
 * @example
 * ```ts
 * powWad(9n * 10n ** 17n, 2n) // → 810000000000000000n (0.81)
 * ```
 */
export function powWad(base: bigint, n: bigint): bigint {
  if (n < 0n) throw new InvalidArgumentError('n', `must be ≥ 0, got ${n}`)
  let result = WAD
  let b = base
  let e = n
  while (e > 0n) {
    if ((e & 1n) === 1n) result = wadMul(result, b)
    b = wadMul(b, b)
    e >>= 1n
  }
  return result
}

/**
 * Converts a WAD value to a float for display and for float maths (never for anything that must
 * match the contract). Integer and fractional parts are converted separately so large values keep
 * their full float precision.
 */
export function wadToNumber(value: bigint): number {
  const whole = value / WAD
  const fraction = value % WAD
  return Number(whole) + Number(fraction) / 1e18
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

/**
 * Converts a decimal number (`0.9`, `'2'`, `'1e-3'`) to WAD, exactly: a number is read through its
 * shortest decimal representation, so `toWad(0.9)` is `900000000000000000n` and not the binary
 * float's expansion. Digits beyond 18 decimals are truncated toward zero.
 *
 * @throws {@link InvalidArgumentError} for NaN, infinities and malformed strings.
 */
export function toWad(value: number | string): bigint {
  const text = typeof value === 'number' ? String(value) : value.trim()
  const match = DECIMAL.exec(text)
  if (match === null) {
    throw new InvalidArgumentError('value', `not a finite decimal number: ${text}`, 'Pass e.g. 0.9 or "0.9".')
  }
  const [, sign, intPart = '0', fracPart = '', expPart = '0'] = match
  const exponent = Number(expPart) + 18
  const digits = intPart + fracPart
  const shift = exponent - fracPart.length
  const magnitude =
    shift >= 0 ? BigInt(digits) * 10n ** BigInt(shift) : BigInt(digits) / 10n ** BigInt(-shift)
  return sign === '-' ? -magnitude : magnitude
}
