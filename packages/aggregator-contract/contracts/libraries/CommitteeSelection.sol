// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Bitmaps256} from "./Bitmaps256.sol";
import {ReputationMath} from "./ReputationMath.sol";

/**
 * @title CommitteeSelection
 * @notice Reputation-weighted committee draw of the aggregator's openRound().
 * @dev Deployed once and linked (its function is external, run by DELEGATECALL): it keeps about
 * 400 bytes out of the aggregator's runtime code, which sits close to the EIP-170 limit. It only
 * reads the aggregator's reputation mapping, passed as a storage pointer.
 */
library CommitteeSelection {
    uint256 private constant _MASK96 = (1 << 96) - 1;

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
    function draw(
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
