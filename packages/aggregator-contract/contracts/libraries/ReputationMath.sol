// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/**
 * @title ReputationMath
 * @notice Subjective-logic reputation and the round reward split in 1e18 fixed point, operation
 * for operation as specified in packages/reputation/FIXED_POINT.md, so that the TypeScript package
 * (fedchain reputation) and this contract produce identical integers. All divisions round down.
 *
 * Domain (what the aggregator guarantees, and what makes the `unchecked` blocks below safe):
 * evidence < 2^96 (stored as uint96), every parameter ≤ 2^64 (stored as uint64), decay ≤ WAD,
 * scores ≤ WAD, quality scores ≤ 10000. The reward split accepts any uint256 pool whose product with
 * the fee (bps) fits in uint256, as the TypeScript side does.
 */
library ReputationMath {
    /// @notice 1.0 in fixed point.
    uint256 internal constant WAD = 1e18;
    /// @notice Basis points in 1.0 (quality scores and fees).
    uint256 internal constant BPS = 10_000;

    /// @notice Reputation parameters of a consortium (all WAD except where stated).
    struct Params {
        uint64 decay;
        uint64 weightAccepted;
        uint64 weightRejected;
        uint64 weightAbsent;
        uint64 weightDisagreement;
        uint64 priorWeight;
        uint64 baseRate;
    }

    /// @notice `a * b / WAD`, rounded down.
    function mulWad(uint256 a, uint256 b) internal pure returns (uint256) {
        return a * b / WAD;
    }

    /// @notice `base^n` in fixed point by binary exponentiation (rounding after every product).
    function powWad(uint256 base, uint256 n) internal pure returns (uint256 result) {
        // One round of decay (the steady state) needs no multiplication: mulWad(WAD, base) == base.
        if (n == 1 && base <= WAD) return base;
        result = WAD;
        while (n > 0) {
            if (n & 1 == 1) result = mulWad(result, base);
            base = mulWad(base, base);
            n >>= 1;
        }
    }

    /**
     * @notice Decays evidence from `lastRound` to `round` (no change when `round <= lastRound`).
     * @return positive Decayed positive evidence.
     * @return negative Decayed negative evidence.
     */
    function decayTo(uint256 positive, uint256 negative, uint256 lastRound, uint256 round, uint256 decay)
        internal
        pure
        returns (uint256, uint256)
    {
        if (round <= lastRound) return (positive, negative);
        uint256 factor = powWad(decay, round - lastRound);
        // unchecked: evidence < 2^96 and factor ≤ WAD < 2^60, so the products stay below 2^156.
        unchecked {
            return (positive * factor / WAD, negative * factor / WAD);
        }
    }

    /// @notice Trust score `belief + baseRate * uncertainty`, in [0, WAD].
    function score(uint256 positive, uint256 negative, uint256 priorWeight, uint256 baseRate)
        internal
        pure
        returns (uint256)
    {
        // unchecked: evidence < 2^96 and parameters ≤ 2^64 keep every sum and product below 2^160;
        // total > 0 because priorWeight > 0 is enforced when parameters are set.
        unchecked {
            uint256 total = positive + negative + priorWeight;
            uint256 belief = positive * WAD / total;
            uint256 uncertainty = priorWeight * WAD / total;
            return belief + baseRate * uncertainty / WAD;
        }
    }

    /**
     * @notice Splits a round's reward among the quorum's committee members and the accepted
     * participants (given in ascending registry index order).
     * @param pool Round reward in token units.
     * @param committeeFeeBps Committee share of the pool in basis points.
     * @param members Committee members who agreed with the quorum (at least 1).
     * @param scores Reputation score of each accepted participant (WAD), read before the round's update.
     * @param qualities Quality score of each accepted participant (basis points).
     * @return feePerMember Amount credited to each agreeing committee member.
     * @return shares Amount credited to each accepted participant (dust added to the first).
     */
    function split(
        uint256 pool,
        uint256 committeeFeeBps,
        uint256 members,
        uint256[] memory scores,
        uint256[] memory qualities
    ) internal pure returns (uint256 feePerMember, uint256[] memory shares) {
        feePerMember = (pool * committeeFeeBps / BPS) / members;
        uint256 participantPool = pool - feePerMember * members;
        uint256 count = scores.length;
        shares = new uint256[](count);
        if (count == 0) return (feePerMember, shares);
        uint256 totalWeight;
        uint256 paid;
        // unchecked: scores ≤ WAD and qualities ≤ 10000 bound each weight by WAD and the total by
        // 256·WAD; pool·weight is only formed when pool < 2^128; shares sum to at most the pool.
        unchecked {
            for (uint256 i; i < count; ++i) {
                uint256 weight = scores[i] * qualities[i] / BPS;
                shares[i] = weight;
                totalWeight += weight;
            }
            // Below 2^128 (always, for the aggregator's uint128 rewards) the plain product is exact;
            // above it, mulDiv computes the same floor with a 512-bit product.
            bool small = participantPool < 1 << 128;
            for (uint256 i; i < count; ++i) {
                uint256 share;
                if (totalWeight == 0) share = participantPool / count;
                else if (small) share = participantPool * shares[i] / totalWeight;
                else share = Math.mulDiv(participantPool, shares[i], totalWeight);
                shares[i] = share;
                paid += share;
            }
            shares[0] += participantPool - paid;
        }
    }
}
