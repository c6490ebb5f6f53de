// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IAggregatorEvents
 * @notice The audit trail: every state change of the aggregator emits one of these events, enough
 * to replay the consortium, task and round history (`fedchain audit`).
 */
interface IAggregatorEvents {
    /**
     * @notice `account` applied for membership with `stake` tokens and its node's discovery data
     * `profile` = abi.encode(string peerId, bytes32 x25519PublicKey, string[] multiaddrs).
     */
    event MembershipRequested(address indexed account, bytes profile, uint256 stake);
    /// @notice A hospital voted to admit `applicant`; `votes` of `required` votes so far.
    event AdmissionVoted(address indexed voter, address indexed applicant, uint256 votes, uint256 required);
    /// @notice `account` became an active hospital with registry index `index` (its bit in every bitmap).
    event HospitalAdmitted(address indexed account, uint8 index);
    /// @notice `account` changed its node's discovery data (encoded as in MembershipRequested).
    event ProfileUpdated(address indexed account, bytes profile);
    /// @notice `account` added `amount` to its stake, now `total`.
    event StakeAdded(address indexed account, uint256 amount, uint256 total);
    /// @notice `account` was suspended: its stake fell below the minimum after a slash.
    event HospitalSuspended(address indexed account, uint256 stake);
    /// @notice `account` (suspended) is active again after topping up its stake.
    event HospitalReactivated(address indexed account, uint256 stake);
    /// @notice `account` left the active set; its stake can be withdrawn from `availableAt`.
    event ExitRequested(address indexed account, uint256 availableAt);
    /// @notice `account` withdrew its whole stake `amount` and left the consortium.
    event StakeWithdrawn(address indexed account, uint256 amount);
    /// @notice `amount` of `account`'s stake was moved to task `taskId`'s escrow for a rejected update.
    event StakeSlashed(address indexed account, uint256 indexed taskId, uint32 round, uint256 amount);
    /// @notice A hospital voted to hand governance to `candidate`; `votes` of `required` so far.
    event GovernanceVoted(address indexed voter, address indexed candidate, uint256 votes, uint256 required);
    /// @notice Governance (the admin role) moved from `previous` to `next`.
    event GovernanceTransferred(address indexed previous, address indexed next);
    /// @notice The consortium's minimum stake and exit delay (seconds) changed.
    event ConsortiumConfigUpdated(uint256 minStake, uint256 exitDelay);
    /// @notice The reputation parameters changed (WAD values, see ReputationMath.Params).
    event ReputationParamsUpdated(
        uint256 decay,
        uint256 weightAccepted,
        uint256 weightRejected,
        uint256 weightAbsent,
        uint256 weightDisagreement,
        uint256 priorWeight,
        uint256 baseRate
    );
    /// @notice Task `taskId` was created by `owner`, escrowing `escrow` tokens.
    event TaskCreated(
        uint256 indexed taskId,
        address indexed owner,
        string modelSpecCid,
        bytes32 modelSpecSha256,
        bytes32 dataSchemaHash,
        uint256 escrow
    );
    /// @notice Round `round` of `taskId` opened from base model `baseModelSha256`; `committee` is a bitmap.
    event RoundOpened(
        uint256 indexed taskId,
        uint32 indexed round,
        bytes32 baseModelSha256,
        uint256 committee,
        uint256 quorum,
        uint256 commitDeadline,
        uint256 shareDeadline,
        uint256 verifyDeadline
    );
    /// @notice `hospital` committed to its update of this round.
    event UpdateCommitted(uint256 indexed taskId, uint32 indexed round, address indexed hospital, bytes32 commitment);
    /// @notice `hospital` opened its commitment and published its (encrypted) update at `updateCid`.
    event UpdateShared(
        uint256 indexed taskId,
        uint32 indexed round,
        address indexed hospital,
        bytes32 updateHash,
        uint64 sampleCount,
        uint256 epsilonSpent,
        string updateCid
    );
    /// @notice Committee `member` submitted its verdict: accepted set, new model, quality scores.
    event VerdictSubmitted(
        uint256 indexed taskId,
        uint32 indexed round,
        address indexed member,
        uint256 acceptedBitmap,
        bytes32 modelSha256,
        string modelCid,
        bytes qualityScores
    );
    /// @notice ⌈2k/3⌉ committee members agree on (`acceptedBitmap`, `modelSha256`); the round can be finalized.
    event QuorumReached(uint256 indexed taskId, uint32 indexed round, uint256 acceptedBitmap, bytes32 modelSha256);
    /**
     * @notice Round finalized: the new global model, and every party's outcome as bitmaps (accepted,
     * rejected = shared but not accepted, absent = committed but not shared, committee members that
     * agreed with and dissented from the quorum). Reputation changes follow from these bitmaps.
     */
    event RoundFinalized(
        uint256 indexed taskId,
        uint32 indexed round,
        bytes32 modelSha256,
        uint256 accepted,
        uint256 rejected,
        uint256 absent,
        uint256 agreeing,
        uint256 dissenting,
        uint256 reputationRound
    );
    /**
     * @notice Rewards of the round: `participantsPaid` in total to the accepted hospitals, `feePerMember`
     * to each agreeing committee member, `unpaid` left in escrow. Each hospital's share follows from
     * RoundFinalized's bitmaps, the stored reputation and the quorum's quality scores by the reward
     * split of ReputationMath (one event per round instead of one per hospital keeps finalize O(accepted) cheap).
     */
    event RewardsCredited(
        uint256 indexed taskId, uint32 indexed round, uint256 participantsPaid, uint256 feePerMember, uint256 unpaid
    );
    /// @notice Round aborted (no quorum by the deadline, or too few participants); the next round restarts from the last model.
    event RoundAborted(uint256 indexed taskId, uint32 indexed round);
    /// @notice All rounds of `taskId` are finalized; `modelSha256` is the final model.
    event TaskCompleted(uint256 indexed taskId, bytes32 modelSha256);
    /// @notice Task `taskId` was closed by its owner; `refunded` unspent escrow went back to the owner.
    event TaskClosed(uint256 indexed taskId, uint256 refunded);
    /// @notice `hospital` claimed `amount` of its credited rewards.
    event RewardClaimed(address indexed hospital, uint256 amount);
}
