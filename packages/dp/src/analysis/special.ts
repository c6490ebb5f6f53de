/**
 * Special functions for the privacy analysis, in float64, without dependencies.
 *
 * Accuracy targets (checked in `test/analysis/special.spec.ts` against exact values):
 * - {@link lgamma}: absolute error ≲ 1e-14·max(1, |lgamma(x)|) for x > 0 and for negative non-integers;
 * - {@link logErfc}: relative error ≲ 1e-13 on log(erfc(x)) over the whole real line, including
 *   x ≫ 1 where erfc(x) underflows (the RDP analysis needs log erfc(x) for x in the hundreds);
 * - {@link logBinomial}: absolute error ≲ 1e-13 for the orders used by the accountant (α ≤ 256).
 */

const LOG_2PI_HALF = 0.5 * Math.log(2 * Math.PI)
const LOG_SQRT_PI = 0.5 * Math.log(Math.PI)
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI)

/**
 * Stirling-series coefficients B_{2k} / (2k(2k−1)) for k = 1…8: the series for lgamma(x) − its
 * leading terms is Σ c_k / x^(2k−1). With x ≥ 15 the first omitted term is below 1e-19.
 */
const STIRLING = [
  1 / 12,
  -1 / 360,
  1 / 1260,
  -1 / 1680,
  1 / 1188,
  -691 / 360360,
  1 / 156,
  -3617 / 122400,
] as const

/** Below this the argument is shifted up with the recurrence Γ(x+1) = x·Γ(x) before Stirling. */
const STIRLING_MIN_X = 15

/**
 * log|Γ(x)| for any real x that is not a non-positive integer (where Γ has poles and
 * `Infinity` is returned).
 *
 * Method: Stirling's asymptotic series for x ≥ 15; the recurrence Γ(x) = Γ(x+n)/(x(x+1)…(x+n−1))
 * for 0 < x < 15; the reflection formula Γ(x)Γ(1−x) = π / sin(πx) for x ≤ 0.
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN
  if (x === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY
  if (x <= 0) {
    if (Number.isInteger(x)) return Number.POSITIVE_INFINITY
    // sinPi keeps the reflection accurate far from the origin, where sin(π·x) would lose digits.
    return Math.log(Math.PI / Math.abs(sinPi(x))) - lgamma(1 - x)
  }
  if (x === 1 || x === 2) return 0
  let shift = 0
  let z = x
  if (z < STIRLING_MIN_X) {
    // Accumulate the product x(x+1)…(x+n−1) directly: n ≤ 15 factors below 30 cannot overflow.
    let product = 1
    while (z < STIRLING_MIN_X) {
      product *= z
      z += 1
    }
    shift = Math.log(product)
  }
  const inv = 1 / z
  const inv2 = inv * inv
  let series = 0
  for (let k = STIRLING.length - 1; k >= 0; k--) series = series * inv2 + (STIRLING[k] as number)
  return (z - 0.5) * Math.log(z) - z + LOG_2PI_HALF + series * inv - shift
}

/** sin(π·x) with the argument reduced exactly first, so that integers give exactly 0. */
function sinPi(x: number): number {
  let r = x % 2 // exact in floating point
  if (r < 0) r += 2
  if (r > 1) return -Math.sin(Math.PI * (r - 1))
  return Math.sin(Math.PI * r)
}

/** Sign of Γ(x): positive for x > 0, alternating between the poles for x < 0. */
export function gammaSign(x: number): 1 | -1 {
  if (x > 0) return 1
  // Γ is negative on (−1, 0), positive on (−2, −1), … : the sign is (−1)^ceil(−x).
  return Math.ceil(-x) % 2 === 1 ? -1 : 1
}

/** A real number represented by its sign and the logarithm of its magnitude. */
export interface SignedLog {
  /** log|value|; `-Infinity` when the value is 0. */
  readonly logAbs: number
  /** Sign of the value (1 for 0). */
  readonly sign: 1 | -1
}

/**
 * The generalized binomial coefficient C(n, k) = Γ(n+1) / (Γ(k+1)·Γ(n−k+1)) for real n > −1 and
 * integer k ≥ 0, as sign and log-magnitude (it is negative for some k > n when n is fractional,
 * and 0 when n is an integer and k > n).
 */
export function logBinomial(n: number, k: number): SignedLog {
  if (k === 0) return { logAbs: 0, sign: 1 }
  const m = n - k + 1
  if (m <= 0 && Number.isInteger(m)) return { logAbs: Number.NEGATIVE_INFINITY, sign: 1 }
  if (Number.isInteger(n) && n >= 0 && k <= n && k > n / 2) return logBinomial(n, n - k)
  return {
    logAbs: lgamma(n + 1) - lgamma(k + 1) - lgamma(m),
    sign: gammaSign(m),
  }
}

/** log(exp(a) + exp(b)) without overflow; −∞ stands for log 0. */
export function logAddExp(a: number, b: number): number {
  const hi = a > b ? a : b
  const lo = a > b ? b : a
  if (lo === Number.NEGATIVE_INFINITY) return hi
  return Math.log1p(Math.exp(lo - hi)) + hi
}

/**
 * log(exp(a) − exp(b)) for a ≥ b; −∞ stands for log 0.
 * @throws {RangeError} when a < b (the difference would be negative)
 */
export function logSubExp(a: number, b: number): number {
  if (a < b) throw new RangeError(`logSubExp: the difference would be negative (a=${a} < b=${b})`)
  if (b === Number.NEGATIVE_INFINITY) return a
  if (a === b) return Number.NEGATIVE_INFINITY
  const d = a - b
  // expm1 overflows past ~709.78, where log(expm1(d)) = d to double precision anyway.
  if (d > 700) return a
  return Math.log(Math.expm1(d)) + b
}

/** log Σ exp(xᵢ) over a list, stable for any magnitudes; −∞ for an empty list. */
export function logSumExp(values: ArrayLike<number>): number {
  let max = Number.NEGATIVE_INFINITY
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    if (v > max) max = v
  }
  if (max === Number.NEGATIVE_INFINITY || max === Number.POSITIVE_INFINITY) return max
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += Math.exp((values[i] as number) - max)
  return Math.log(sum) + max
}

/** Below: erf power series; between: continued fraction; above: asymptotic expansion. */
const ERFC_SERIES_MAX = 2
const ERFC_ASYMPTOTIC_MIN = 10

/**
 * log(erfc(x)) for every real x, accurate where erfc(x) itself underflows (x ≳ 26).
 *
 * - x < 0: erfc(x) = 2 − erfc(−x), a value in (1, 2).
 * - 0 ≤ x < 2: erfc = 1 − erf with the all-positive series erf(x) = (2/√π)·e^(−x²)·Σ (2x²)ⁿ·x / (2n+1)!!
 *   (no cancellation inside the series; at x = 2 the subtraction costs at most ~2.3 digits).
 * - 2 ≤ x < 10: Laplace's continued fraction for e^(x²)·erfc(x), evaluated by the modified Lentz
 *   method, then log(…) − x².
 * - x ≥ 10: the asymptotic expansion erfc(x) ≈ e^(−x²)/(x√π) · Σ (−1)ⁿ (2n−1)!! / (2x²)ⁿ, summed
 *   until the terms stop shrinking (at x = 10 the smallest term is far below 1e-17).
 */
export function logErfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN
  if (x === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY
  if (x === Number.NEGATIVE_INFINITY) return Math.LN2
  // erfc(x) = 2 − erfc(−x) ∈ (1, 2): no precision to lose, and the series stays short.
  if (x < 0) return Math.log(2 - erfc(-x))
  if (x < ERFC_SERIES_MAX) return Math.log1p(-erfSeries(x))
  if (x < ERFC_ASYMPTOTIC_MIN) return Math.log(erfcxContinuedFraction(x)) - x * x
  return logErfcAsymptotic(x)
}

/** erfc(x) for every real x (underflows to 0 past x ≈ 26.5; use {@link logErfc} there). */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x)
  if (x < ERFC_SERIES_MAX) return 1 - erfSeries(x)
  return Math.exp(logErfc(x))
}

/** erf(x) by the series e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)), valid and cancellation-free for |x| ≲ 3. */
function erfSeries(x: number): number {
  const x2 = x * x
  let term = x
  let sum = x
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1)
    sum += term
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum
}

/**
 * e^(x²)·erfc(x) = (1/√π) · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))) for x > 0,
 * by the modified Lentz algorithm (Numerical Recipes §5.2).
 */
function erfcxContinuedFraction(x: number): number {
  const tiny = 1e-300
  let f = x
  let c = x
  let d = 0
  for (let n = 1; n < 500; n++) {
    const a = n / 2
    d = x + a * d
    if (d === 0) d = tiny
    c = x + a / c
    if (c === 0) c = tiny
    d = 1 / d
    const delta = c * d
    f *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  return 1 / (f * Math.sqrt(Math.PI))
}

function logErfcAsymptotic(x: number): number {
  const inv2x2 = 1 / (2 * x * x)
  let term = 1
  let sum = 1
  for (let n = 1; n < 100; n++) {
    const next = -term * (2 * n - 1) * inv2x2
    if (Math.abs(next) >= Math.abs(term)) break // the series is asymptotic: stop at its smallest term
    term = next
    sum += term
    if (Math.abs(term) < 1e-18) break
  }
  return -x * x - Math.log(x) - LOG_SQRT_PI + Math.log(sum)
}
