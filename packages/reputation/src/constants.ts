/** Fixed-point scale shared with the contract: 1.0 is represented as 10^18. */
export const WAD = 10n ** 18n

/** Denominator of basis points (10000 bps = 100 %). */
export const BPS_DENOMINATOR = 10_000n

/** Largest value a Solidity `uint256` holds; the contract reverts on anything above. */
export const UINT256_MAX = (1n << 256n) - 1n

/** Largest value a Solidity `uint64` holds (round numbers). */
export const UINT64_MAX = (1n << 64n) - 1n

/** Largest quality the contract accepts, in basis points (a `uint16` capped at 100 %). */
export const MAX_QUALITY_BPS = 10_000
