/** Fixed-point scale shared with the contract: 1.0 is represented as 10^18. */
export const WAD = 10n ** 18n

/** a·b / 1e18, rounded down, exactly as Solidity's `a * b / 1e18` on uint256. */
export function wadMul(a: bigint, b: bigint): bigint {
  return (a * b) / WAD
}

/** a·1e18 / b, rounded down, exactly as Solidity's `a * 1e18 / b` on uint256. */
export function wadDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('wadDiv: division by zero')
  return (a * WAD) / b
}
