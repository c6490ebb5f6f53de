// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IAggregatorErrors
 * @notice Every way a call to the aggregator contract can fail. Each name says what went wrong;
 * the arguments say with which values.
 */
interface IAggregatorErrors {
    /// @notice `account` is not a registered hospital (never applied, or only pending admission).
    error AggregatorNotHospital(address account);
    /// @notice `account` is registered but its status (see HospitalStatus) forbids this call.
    error AggregatorHospitalNotActive(address account, uint8 status);
    /// @notice `account` already applied or is already a member.
    error AggregatorAlreadyApplied(address account);
    /// @notice `account` is not a pending applicant.
    error AggregatorNotApplicant(address account);
    /// @notice The stake `stake` is below the consortium's `minimum`.
    error AggregatorStakeTooLow(uint256 stake, uint256 minimum);
    /// @notice All `maxHospitals` registry indices are in use.
    error AggregatorRegistryFull(uint256 maxHospitals);
    /// @notice `voter` already voted for `subject`.
    error AggregatorAlreadyVoted(address voter, address subject);
    /// @notice A zero address was passed where an account is required.
    error AggregatorZeroAddress();
    /// @notice `account` must call requestExit() before withdrawing its stake.
    error AggregatorExitNotRequested(address account);
    /// @notice The exit delay runs until `availableAt` (unix seconds); it is now `nowSeconds`.
    error AggregatorExitDelayNotElapsed(uint256 availableAt, uint256 nowSeconds);
    /// @notice `hospital` committed to round `round` of task `taskId`, which is still open.
    error AggregatorCommittedToOpenRound(address hospital, uint256 taskId, uint32 round);
    /// @notice A configuration value named `field` is out of range.
    error AggregatorInvalidConfig(bytes32 field);
    /// @notice No task has id `taskId`.
    error AggregatorUnknownTask(uint256 taskId);
    /// @notice Only the owner of task `taskId` may do this; `caller` is not.
    error AggregatorNotTaskOwner(uint256 taskId, address caller);
    /// @notice Task `taskId` has status `status` (see TaskStatus), which does not allow this call.
    error AggregatorTaskNotReady(uint256 taskId, uint8 status);
    /// @notice Only `active` hospitals are active; the task needs `required`.
    error AggregatorNotEnoughHospitals(uint256 active, uint256 required);
    /// @notice At most `max` rounds (across tasks) can be open at the same time.
    error AggregatorTooManyOpenRounds(uint256 max);
    /// @notice Round `round` of task `taskId` is not the task's open round.
    error AggregatorRoundNotOpen(uint256 taskId, uint32 round);
    /// @notice Round `round` of task `taskId` was already finalized or aborted.
    error AggregatorRoundAlreadyClosed(uint256 taskId, uint32 round);
    /// @notice The commit phase of the round ended at `deadline` (unix seconds).
    error AggregatorCommitPhaseClosed(uint256 taskId, uint32 round, uint256 deadline);
    /// @notice `hospital` already committed to this round.
    error AggregatorAlreadyCommitted(uint256 taskId, uint32 round, address hospital);
    /// @notice A commitment of zero is not a commitment.
    error AggregatorEmptyCommitment();
    /// @notice Shares open after the commit deadline `commitDeadline` (or once every active hospital committed).
    error AggregatorSharePhaseNotStarted(uint256 taskId, uint32 round, uint256 commitDeadline);
    /// @notice The share phase of the round ended at `deadline` (unix seconds).
    error AggregatorSharePhaseClosed(uint256 taskId, uint32 round, uint256 deadline);
    /// @notice `hospital` did not commit to this round.
    error AggregatorNotCommitted(uint256 taskId, uint32 round, address hospital);
    /// @notice `hospital` already shared its update for this round.
    error AggregatorAlreadyShared(uint256 taskId, uint32 round, address hospital);
    /// @notice The revealed values hash to `computed`, not to the commitment `committed`.
    error AggregatorCommitmentMismatch(uint256 taskId, uint32 round, bytes32 committed, bytes32 computed);
    /// @notice Verdicts open after the share deadline `shareDeadline` (or once every committed hospital shared).
    error AggregatorVerifyPhaseNotStarted(uint256 taskId, uint32 round, uint256 shareDeadline);
    /// @notice The verify phase of the round ended at `deadline` (unix seconds).
    error AggregatorVerifyPhaseClosed(uint256 taskId, uint32 round, uint256 deadline);
    /// @notice `account` is not on the committee of this round.
    error AggregatorNotCommitteeMember(uint256 taskId, uint32 round, address account);
    /// @notice Committee member `member` already submitted a verdict for this round.
    error AggregatorAlreadySubmitted(uint256 taskId, uint32 round, address member);
    /// @notice The accepted bitmap has bits `invalidBits` for hospitals that did not share an update.
    error AggregatorAcceptedNotShared(uint256 taskId, uint32 round, uint256 invalidBits);
    /// @notice Quality scores must be 2 bytes per accepted participant: `expected` bytes, got `actual`.
    error AggregatorQualityScoresLength(uint256 expected, uint256 actual);
    /// @notice Quality score at `position` is `score`, above 10000 basis points.
    error AggregatorQualityScoreTooHigh(uint256 position, uint256 score);
    /// @notice Only `committed` hospitals committed; the task needs `minimum`.
    error AggregatorNotEnoughParticipants(uint256 taskId, uint32 round, uint256 committed, uint256 minimum);
    /// @notice No (accepted bitmap, model hash) pair has reached the quorum of this round yet.
    error AggregatorQuorumNotReached(uint256 taskId, uint32 round);
    /// @notice The round reached its quorum: it must be finalized, not aborted.
    error AggregatorQuorumAlreadyReached(uint256 taskId, uint32 round);
    /// @notice The round cannot be aborted before `deadline` (unix seconds).
    error AggregatorAbortTooEarly(uint256 taskId, uint32 round, uint256 deadline);
    /// @notice `account` has no unclaimed rewards.
    error AggregatorNothingToClaim(address account);
    /**
     * @notice Entry `index` of a batch was rejected, so the whole batch reverted. `reason` is the
     * revert data the single-transaction path would have produced for that entry (e.g.
     * AggregatorAlreadyCommitted(…)), or AggregatorInvalidSignature(…).
     */
    error AggregatorBatchEntryRejected(uint256 index, bytes reason);
    /// @notice The entry's EIP-712 signature recovers to `signer`, not to the entry's `hospital`.
    error AggregatorInvalidSignature(address hospital, address signer);
}
