// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/**
 * @title Bitmaps256
 * @notice Helpers for the uint256 bitmaps the aggregator keys by hospital registry index
 * (bit i = the hospital with index i).
 */
library Bitmaps256 {
    /// @notice Number of set bits in `x`.
    function popcount(uint256 x) internal pure returns (uint256) {
        if (x == type(uint256).max) return 256;
        // unchecked: SWAR popcount; every step works on disjoint bit fields that cannot overflow,
        // and the final byte sum is at most 255 because x is not all ones.
        unchecked {
            x = x - ((x >> 1) & 0x5555555555555555555555555555555555555555555555555555555555555555);
            x = (x & 0x3333333333333333333333333333333333333333333333333333333333333333)
                + ((x >> 2) & 0x3333333333333333333333333333333333333333333333333333333333333333);
            x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f;
            return (x * 0x0101010101010101010101010101010101010101010101010101010101010101) >> 248;
        }
    }

    /// @notice Index of the lowest set bit of a nonzero `x`.
    function lowestBit(uint256 x) internal pure returns (uint256) {
        // unchecked: two's complement isolation of the lowest bit; wrap-around is the intent.
        unchecked {
            return Math.log2(x & (~x + 1));
        }
    }
}
