// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IAggregatorErrors} from "../interfaces/IAggregatorErrors.sol";
import {Bitmaps256} from "./Bitmaps256.sol";
import {ReputationMath} from "./ReputationMath.sol";

/**
 * @title AggregatorSetup
 * @notice The set-up steps of the aggregator that no round transaction runs: task configuration
 * checks (createTask) and the reputation-weighted committee draw (openRound).
 * @dev Deployed once and linked (its functions are external, run by DELEGATECALL): this keeps about
 * 800 bytes out of the aggregator's runtime code, which sits close to the EIP-170 limit, at the
 * price of one DELEGATECALL in createTask and in openRound with more than 7 hospitals. It only
 * reads the aggregator's storage it is handed (reputation mapping and parameters).
 */
library AggregatorSetup {
    uint256 private constant _MASK96 = (1 << 96) - 1;
    uint256 private constant _BPS = 10_000;

    /**
     * @notice Reverts with AggregatorInvalidConfig(field) unless the task configuration is usable.
     * @param rounds Number of rounds (> 0).
     * @param commitDuration Commit phase, seconds (> 0).
     * @param shareDuration Share phase, seconds (> 0).
     * @param verifyDuration Verify phase, seconds (> 0).
     * @param committeeSize Committee size (> 0).
     * @param minParticipants Minimum participants (> 0).
     * @param committeeFeeBps Committee fee in basis points (≤ 10000).
     * @param modelSpecSha256 Hash of the model spec (nonzero).
     */
    function checkTaskConfig(
        uint256 rounds,
        uint256 commitDuration,
        uint256 shareDuration,
        uint256 verifyDuration,
        uint256 committeeSize,
        uint256 minParticipants,
        uint256 committeeFeeBps,
        bytes32 modelSpecSha256
    ) external pure {
        if (rounds == 0) revert IAggregatorErrors.AggregatorInvalidConfig("rounds");
        if (commitDuration == 0 || shareDuration == 0 || verifyDuration == 0) {
            revert IAggregatorErrors.AggregatorInvalidConfig("duration");
        }
        if (committeeSize == 0) revert IAggregatorErrors.AggregatorInvalidConfig("committeeSize");
        if (minParticipants == 0) revert IAggregatorErrors.AggregatorInvalidConfig("minParticipants");
        if (committeeFeeBps > _BPS) revert IAggregatorErrors.AggregatorInvalidConfig("committeeFeeBps");
        if (modelSpecSha256 == bytes32(0)) revert IAggregatorErrors.AggregatorInvalidConfig("modelSpecSha256");
    }

    /**
     * @notice Draws `size` distinct hospitals of the `active` bitmap (`activeCount` set bits, more
     * than `size`) without replacement, with weights = reputation score decayed to `current` plus
     * 1 wei (so that a zero score can still be drawn), from the random `seed`.
     * @param reputation The aggregator's packed reputation slots (positive | negative << 96 | lastRound << 192).
     * @param storedParams The aggregator's reputation parameters.
     * @param current The current reputation round.
     * @param active Bitmap of active hospitals.
     * @param activeCount Number of bits set in `active`.
     * @param size Committee size (less than `activeCount`).
     * @param seed Random seed of the round.
     * @return committee Bitmap of the drawn hospitals.
     */
    function drawCommittee(
        mapping(uint256 index => uint256 packed) storage reputation,
        ReputationMath.Params storage storedParams,
        uint256 current,
        uint256 active,
        uint256 activeCount,
        uint256 size,
        uint256 seed
    ) external view returns (uint256 committee) {
        ReputationMath.Params memory params = storedParams;
        uint256[] memory indices = new uint256[](activeCount);
        uint256[] memory weights = new uint256[](activeCount);
        uint256 total;
        uint256 n;
        for (uint256 bits = active; bits != 0; bits &= bits - 1) {
            uint256 index = Bitmaps256.lowestBit(bits);
            uint256 packed = reputation[index];
            (uint256 positive, uint256 negative) = ReputationMath.decayTo(
                packed & _MASK96, (packed >> 96) & _MASK96, packed >> 192, current, params.decay
            );
            uint256 weight = ReputationMath.score(positive, negative, params.priorWeight, params.baseRate) + 1;
            indices[n] = index;
            weights[n] = weight;
            total += weight;
            ++n;
        }
        for (uint256 drawn; drawn < size; ++drawn) {
            uint256 target = uint256(keccak256(abi.encode(seed, drawn))) % total;
            uint256 i;
            while (target >= weights[i]) {
                target -= weights[i];
                ++i;
            }
            committee |= 1 << indices[i];
            total -= weights[i];
            weights[i] = 0;
        }
    }
}
