// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ReputationMath} from "../libraries/ReputationMath.sol";

/**
 * @title ReputationHarness
 * @notice Test-only wrapper exposing ReputationMath so the shared JSON vectors can be checked
 * against the exact code the aggregator runs.
 */
contract ReputationHarness {
    /// @notice See ReputationMath.powWad.
    function powWad(uint256 base, uint256 n) external pure returns (uint256) {
        return ReputationMath.powWad(base, n);
    }

    /// @notice See ReputationMath.decayTo.
    function decayTo(uint256 positive, uint256 negative, uint256 lastRound, uint256 round, uint256 decay)
        external
        pure
        returns (uint256, uint256)
    {
        return ReputationMath.decayTo(positive, negative, lastRound, round, decay);
    }

    /// @notice See ReputationMath.score.
    function score(uint256 positive, uint256 negative, uint256 priorWeight, uint256 baseRate)
        external
        pure
        returns (uint256)
    {
        return ReputationMath.score(positive, negative, priorWeight, baseRate);
    }

    /// @notice See ReputationMath.split.
    function split(
        uint256 pool,
        uint256 committeeFeeBps,
        uint256 members,
        uint256[] calldata scores,
        uint256[] calldata qualities
    ) external pure returns (uint256 feePerMember, uint256[] memory shares) {
        return ReputationMath.split(pool, committeeFeeBps, members, scores, qualities);
    }
}
