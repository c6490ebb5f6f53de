// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IAggregatorErrors} from "./interfaces/IAggregatorErrors.sol";
import {IAggregatorEvents} from "./interfaces/IAggregatorEvents.sol";
import {AggregatorSetup} from "./libraries/AggregatorSetup.sol";
import {Bitmaps256} from "./libraries/Bitmaps256.sol";
import {ReputationMath} from "./libraries/ReputationMath.sol";

/**
 * @title AggregatorContract
 * @notice Replaces the central aggregation server of federated learning: a consortium registry of
 * staked hospitals, tasks with escrowed rewards, and rounds of commit → share → committee verdicts →
 * quorum finalization, with on-chain reputation and pull-based rewards.
 * @dev Every hospital gets a registry index (0..254); per-round sets are uint256 bitmaps keyed by it.
 * Bit 255 is a sentinel kept set in the per-task round bitmaps so that they are never zero and each
 * round's writes are nonzero→nonzero. Per-task round state is reused by every round of the task.
 * Commits and shares can also be relayed in batches (commitBatch, shareBatch): each entry carries
 * the hospital's EIP-712 signature (domain "FedchainAggregator", version "1", this chain and
 * contract), so one transaction carries many hospitals' steps and one 21,000-gas base cost.
 */
contract AggregatorContract is
    IAggregatorErrors,
    IAggregatorEvents,
    AccessControl,
    ReentrancyGuardTransient,
    EIP712
{
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @notice Registration status of a hospital.
    enum HospitalStatus {
        None,
        Pending,
        Active,
        Suspended,
        Exiting,
        Exited
    }

    /// @notice Lifecycle of a task.
    enum TaskStatus {
        None,
        Ready,
        RoundOpen,
        Completed,
        Closed
    }

    /// @notice Parameters of a new task (see createTask).
    struct TaskConfig {
        string modelSpecCid;
        bytes32 modelSpecSha256;
        bytes32 dataSchemaHash;
        uint32 rounds;
        uint32 commitDuration;
        uint32 shareDuration;
        uint32 verifyDuration;
        uint8 committeeSize;
        uint16 minParticipants;
        uint128 dpEpsilon;
        uint128 dpDelta;
        uint128 rewardPerRound;
        uint16 committeeFeeBps;
        uint128 slashAmount;
    }

    /// @notice Timing and round counters of a task, packed in one slot (read by every round call).
    struct Schedule {
        uint32 round;
        uint40 openedAt;
        uint32 commitDuration;
        uint32 shareDuration;
        uint32 verifyDuration;
        TaskStatus status;
        uint8 committeeSize;
        uint16 minParticipants;
        uint8 quorum;
        uint8 activeModel;
        uint32 finalizedRounds;
        uint8 openSlot;
    }

    /// @notice The rest of a task's configuration.
    struct Terms {
        address owner;
        uint16 committeeFeeBps;
        uint32 totalRounds;
        uint128 rewardPerRound;
        uint128 slashAmount;
        uint128 dpEpsilon;
        uint128 dpDelta;
        bytes32 dataSchemaHash;
        uint256 escrow;
    }

    /// @notice A model version: sha256 of its bytes and its content identifier.
    struct Model {
        bytes32 sha256;
        string cid;
    }

    /// @notice Per-task state of the open (or last) round, reused by every round of the task.
    struct LiveRound {
        uint256 committed;
        uint256 shared;
        uint256 committee;
        // Committee members that have not submitted yet (| sentinel): one slot answers both "member?"
        // and "already submitted?" on the hot path of submitVerdict().
        uint256 awaiting;
        // Accepted bitmap of the quorum verdict; _NO_QUORUM (bit 255, never in an accepted bitmap)
        // while there is none. The winning vote key follows from it and the next model's hash.
        uint256 quorumAccepted;
    }

    /// @notice Hot per-account record: registry index and status.
    struct Member {
        uint8 index;
        HospitalStatus status;
    }

    /**
     * @notice Cold per-account record: stake, exit time and discovery data. `profile` is
     * abi.encode(string peerId, bytes32 x25519PublicKey, string[] multiaddrs), opaque to the contract.
     */
    struct Profile {
        uint128 stake;
        uint64 exitAvailableAt;
        bytes profile;
    }

    /**
     * @notice A relayed commit: `hospital`'s commitment and its EIP-712 signature, in the compact
     * ERC-2098 form (r, yParityAndS), over Commit(uint256 taskId,uint32 round,bytes32 commitment).
     */
    struct Commit {
        address hospital;
        bytes32 commitment;
        bytes32 r;
        bytes32 vs;
    }

    /**
     * @notice A relayed share: the opening and CID of share(), signed by `hospital` (ERC-2098 r, vs)
     * over Share(uint256 taskId,uint32 round,bytes32 updateHash,uint64 sampleCount,bytes32 salt,
     * uint256 epsilonSpent,string updateCid).
     */
    struct Share {
        address hospital;
        bytes32 updateHash;
        uint64 sampleCount;
        bytes32 salt;
        uint256 epsilonSpent;
        string updateCid;
        bytes32 r;
        bytes32 vs;
    }

    /// @notice Role allowed to create tasks (granted by governance).
    bytes32 public constant TASK_CREATOR_ROLE = keccak256("TASK_CREATOR_ROLE");
    /// @notice Maximum number of hospitals ever admitted (indices 0..254; bit 255 is the sentinel).
    uint256 public constant MAX_HOSPITALS = 255;
    /// @notice Up to this many active hospitals, every one of them is on every committee.
    uint256 public constant FULL_COMMITTEE_THRESHOLD = 7;
    /// @notice Maximum number of rounds open at the same time across all tasks.
    uint256 public constant MAX_OPEN_ROUNDS = 64;
    uint256 private constant _SENTINEL = 1 << 255;
    uint256 private constant _BPS = 10_000;
    // "No quorum yet" marker of LiveRound.quorumAccepted: nonzero so that recording the quorum is a
    // nonzero→nonzero write, and bit 255, which an accepted bitmap never has.
    uint256 private constant _NO_QUORUM = 1 << 255;
    uint256 private constant _MASK96 = (1 << 96) - 1;
    uint256 private constant _MASK128 = (1 << 128) - 1;
    bytes32 private constant _COMMIT_TYPEHASH = keccak256("Commit(uint256 taskId,uint32 round,bytes32 commitment)");
    bytes32 private constant _SHARE_TYPEHASH = keccak256(
        "Share(uint256 taskId,uint32 round,bytes32 updateHash,uint64 sampleCount,bytes32 salt,uint256 epsilonSpent,string updateCid)"
    );

    IERC20 private immutable _token;
    address private _governance;
    uint128 private _minStake;
    uint64 private _exitDelay;
    ReputationMath.Params private _reputationParams;
    uint32 private _reputationRound;
    uint8 private _nextIndex;
    uint8 private _openTaskCount;
    uint256 private _activeBits;

    mapping(address account => Member) private _members;
    mapping(address account => Profile) private _profiles;
    mapping(uint256 index => address) private _accounts;
    // Packed by hand (one SLOAD/SSTORE each; struct member writes cost one SSTORE per member):
    // reputation = positive evidence (bits 0-95) | negative evidence (96-191) | last round (192-223).
    mapping(uint256 index => uint256 packed) private _reputation;
    // Rewards credited so far (uint128) to indices 2p (bits 0-127) and 2p+1 (bits 128-255): two
    // hospitals per slot, so crediting neighbours in one finalize pays one cold write for both.
    mapping(uint256 pair => uint256 packed) private _credited;
    mapping(uint256 index => uint256) private _claimed;
    mapping(address subject => uint256 voters) private _admissionVotes;
    mapping(address candidate => uint256 voters) private _governanceVotes;

    uint256 private _taskCount;
    mapping(uint256 taskId => Schedule) private _schedules;
    mapping(uint256 taskId => Terms) private _terms;
    mapping(uint256 taskId => Model[2]) private _models;
    mapping(uint256 taskId => LiveRound) private _live;
    mapping(uint256 taskId => mapping(uint256 index => bytes32)) private _commitments;
    mapping(uint256 taskId => mapping(uint256 word => uint256)) private _quorumScores;
    mapping(bytes32 voteKey => uint256 voters) private _votes;
    // Tasks with an open round, in slots 0.._openTaskCount-1; freed slots keep stale values so that
    // reusing them is a nonzero→nonzero write.
    uint256[MAX_OPEN_ROUNDS] private _openTaskSlots;

    /**
     * @notice Deploys the aggregator of one consortium.
     * @param stakeToken ERC-20 used for stake and rewards (FedToken).
     * @param initialGovernance Initial governance (admin role, task creator role).
     * @param minStake Minimum stake of a hospital, in token units.
     * @param exitDelay Seconds between requestExit() and withdrawStake().
     * @param initialReputationParams Reputation parameters (see ReputationMath.Params).
     */
    constructor(
        IERC20 stakeToken,
        address initialGovernance,
        uint256 minStake,
        uint256 exitDelay,
        ReputationMath.Params memory initialReputationParams
    ) EIP712("FedchainAggregator", "1") {
        if (address(stakeToken) == address(0) || initialGovernance == address(0)) revert AggregatorZeroAddress();
        _token = stakeToken;
        _governance = initialGovernance;
        _grantRole(DEFAULT_ADMIN_ROLE, initialGovernance);
        _grantRole(TASK_CREATOR_ROLE, initialGovernance);
        _setConsortiumConfig(minStake, exitDelay);
        _setReputationParams(initialReputationParams);
    }

    // ---------------------------------------------------------------- governance

    /**
     * @notice Hands governance (the admin role) to `next`, e.g. a multisig.
     * @param next New governance account.
     */
    function transferGovernance(address next) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _transferGovernance(next);
    }

    /**
     * @notice Votes, as an active hospital, to hand governance to `candidate`; with ⅔ of the active
     * hospitals in favour, governance moves.
     * @param candidate Proposed governance account.
     */
    function voteGovernance(address candidate) external {
        if (candidate == address(0)) revert AggregatorZeroAddress();
        uint256 bit = _activeBit(msg.sender);
        uint256 votes = _governanceVotes[candidate];
        if (votes & bit != 0) revert AggregatorAlreadyVoted(msg.sender, candidate);
        votes |= bit;
        (uint256 count, uint256 required) = _tally(votes);
        emit GovernanceVoted(msg.sender, candidate, count, required);
        if (count >= required) {
            delete _governanceVotes[candidate];
            _transferGovernance(candidate);
        } else {
            _governanceVotes[candidate] = votes;
        }
    }

    /**
     * @notice Sets the minimum stake and the exit delay.
     * @param minStake Minimum stake in token units.
     * @param exitDelay Seconds between requestExit() and withdrawStake().
     */
    function setConsortiumConfig(uint256 minStake, uint256 exitDelay) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setConsortiumConfig(minStake, exitDelay);
    }

    /**
     * @notice Sets the reputation parameters (they apply from the next finalized round).
     * @param params New parameters (WAD; decay in (0, 1], baseRate ≤ 1, priorWeight > 0, weights ≤ 18).
     */
    function setReputationParams(ReputationMath.Params calldata params) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setReputationParams(params);
    }

    // ---------------------------------------------------------------- registry

    /**
     * @notice Applies for membership, escrowing `stake` tokens (approve them first).
     * @param profile The node's discovery data: abi.encode(string peerId, bytes32 x25519PublicKey,
     * string[] multiaddrs) — libp2p peer id, the key updates are encrypted to, addresses to dial.
     * @param stake Stake in token units (at least the minimum stake).
     */
    function applyForMembership(bytes calldata profile, uint256 stake) external nonReentrant {
        if (_members[msg.sender].status != HospitalStatus.None) revert AggregatorAlreadyApplied(msg.sender);
        if (stake < _minStake) revert AggregatorStakeTooLow(stake, _minStake);
        _members[msg.sender].status = HospitalStatus.Pending;
        Profile storage record = _profiles[msg.sender];
        record.profile = profile;
        record.stake = stake.toUint128();
        emit MembershipRequested(msg.sender, profile, stake);
        _token.safeTransferFrom(msg.sender, address(this), stake);
    }

    /**
     * @notice Admits a pending applicant (governance).
     * @param applicant Account that applied.
     */
    function admitHospital(address applicant) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _admit(applicant);
    }

    /**
     * @notice Votes, as an active hospital, to admit `applicant`; ⅔ of the active hospitals admit it.
     * @param applicant Account that applied.
     */
    function voteToAdmit(address applicant) external {
        uint256 bit = _activeBit(msg.sender);
        if (_members[applicant].status != HospitalStatus.Pending) revert AggregatorNotApplicant(applicant);
        uint256 votes = _admissionVotes[applicant];
        if (votes & bit != 0) revert AggregatorAlreadyVoted(msg.sender, applicant);
        votes |= bit;
        (uint256 count, uint256 required) = _tally(votes);
        emit AdmissionVoted(msg.sender, applicant, count, required);
        if (count >= required) {
            delete _admissionVotes[applicant];
            _admit(applicant);
        } else {
            _admissionVotes[applicant] = votes;
        }
    }

    /**
     * @notice Updates the caller's discovery data (any status but None/Exited).
     * @param profile abi.encode(string peerId, bytes32 x25519PublicKey, string[] multiaddrs).
     */
    function updateProfile(bytes calldata profile) external {
        HospitalStatus status = _members[msg.sender].status;
        if (status == HospitalStatus.None || status == HospitalStatus.Exited) revert AggregatorNotHospital(msg.sender);
        _profiles[msg.sender].profile = profile;
        emit ProfileUpdated(msg.sender, profile);
    }

    /**
     * @notice Adds `amount` tokens to the caller's stake; a suspended hospital whose stake reaches the
     * minimum again becomes active.
     * @param amount Token units (approve them first).
     */
    function addStake(uint256 amount) external nonReentrant {
        Member storage member = _members[msg.sender];
        HospitalStatus status = member.status;
        if (status != HospitalStatus.Pending && status != HospitalStatus.Active && status != HospitalStatus.Suspended) {
            revert AggregatorHospitalNotActive(msg.sender, uint8(status));
        }
        Profile storage profile = _profiles[msg.sender];
        uint256 total = profile.stake + amount;
        profile.stake = total.toUint128();
        emit StakeAdded(msg.sender, amount, total);
        if (status == HospitalStatus.Suspended && total >= _minStake) {
            member.status = HospitalStatus.Active;
            _activeBits |= 1 << member.index;
            emit HospitalReactivated(msg.sender, total);
        }
        _token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /**
     * @notice Leaves the active set (no new commits or committees); the stake can be withdrawn after
     * the exit delay, once no open round holds a commitment of the caller. Pending applicants may
     * also call it to cancel their application.
     */
    function requestExit() external {
        Member storage member = _members[msg.sender];
        HospitalStatus status = member.status;
        if (status == HospitalStatus.None || status == HospitalStatus.Exiting || status == HospitalStatus.Exited) {
            revert AggregatorHospitalNotActive(msg.sender, uint8(status));
        }
        if (status == HospitalStatus.Active) _activeBits &= ~(1 << member.index);
        member.status = HospitalStatus.Exiting;
        // A pending applicant never held a committee seat or a commitment: no delay needed.
        uint256 availableAt = status == HospitalStatus.Pending ? block.timestamp : block.timestamp + _exitDelay;
        _profiles[msg.sender].exitAvailableAt = uint64(availableAt);
        emit ExitRequested(msg.sender, availableAt);
    }

    /**
     * @notice Withdraws the caller's whole stake after requestExit() and the exit delay.
     * @dev Reverts while any open round holds a commitment of the caller (it could still be slashed).
     */
    function withdrawStake() external nonReentrant {
        Member storage member = _members[msg.sender];
        if (member.status != HospitalStatus.Exiting) revert AggregatorExitNotRequested(msg.sender);
        Profile storage profile = _profiles[msg.sender];
        if (block.timestamp < profile.exitAvailableAt) {
            revert AggregatorExitDelayNotElapsed(profile.exitAvailableAt, block.timestamp);
        }
        if (_accounts[member.index] == msg.sender) {
            uint256 bit = 1 << member.index;
            uint256 open = _openTaskCount;
            for (uint256 i; i < open; ++i) {
                uint256 taskId = _openTaskSlots[i];
                if (_live[taskId].committed & bit != 0) {
                    revert AggregatorCommittedToOpenRound(msg.sender, taskId, _schedules[taskId].round);
                }
            }
        }
        uint256 amount = profile.stake;
        profile.stake = 0;
        member.status = HospitalStatus.Exited;
        emit StakeWithdrawn(msg.sender, amount);
        if (amount > 0) _token.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- tasks

    /**
     * @notice Creates a task and escrows `rewardPerRound × rounds` tokens from the caller (approve first).
     * @param config Task parameters: model spec, data schema, rounds, phase durations (seconds),
     * committee size, minimum participants, DP budget (ε, δ in WAD), reward, committee fee, slash amount.
     * @return taskId Id of the new task (1, 2, …).
     */
    function createTask(TaskConfig calldata config)
        external
        onlyRole(TASK_CREATOR_ROLE)
        nonReentrant
        returns (uint256 taskId)
    {
        AggregatorSetup.checkTaskConfig(
            config.rounds,
            config.commitDuration,
            config.shareDuration,
            config.verifyDuration,
            config.committeeSize,
            config.minParticipants,
            config.committeeFeeBps,
            config.modelSpecSha256
        );
        taskId = ++_taskCount;
        uint256 escrow = uint256(config.rewardPerRound) * config.rounds;
        _schedules[taskId] = Schedule({
            round: 0,
            openedAt: 0,
            commitDuration: config.commitDuration,
            shareDuration: config.shareDuration,
            verifyDuration: config.verifyDuration,
            status: TaskStatus.Ready,
            committeeSize: config.committeeSize,
            minParticipants: config.minParticipants,
            quorum: 0,
            activeModel: 0,
            finalizedRounds: 0,
            openSlot: 0
        });
        _terms[taskId] = Terms({
            owner: msg.sender,
            committeeFeeBps: config.committeeFeeBps,
            totalRounds: config.rounds,
            rewardPerRound: config.rewardPerRound,
            slashAmount: config.slashAmount,
            dpEpsilon: config.dpEpsilon,
            dpDelta: config.dpDelta,
            dataSchemaHash: config.dataSchemaHash,
            escrow: escrow
        });
        Model storage initial = _models[taskId][0];
        initial.sha256 = config.modelSpecSha256;
        initial.cid = config.modelSpecCid;
        emit TaskCreated(
            taskId, msg.sender, config.modelSpecCid, config.modelSpecSha256, config.dataSchemaHash, escrow
        );
        if (escrow > 0) _token.safeTransferFrom(msg.sender, address(this), escrow);
    }

    /**
     * @notice Opens the next round of `taskId` from the last finalized model and draws its committee.
     * Anyone may call it once the previous round is finalized or aborted.
     * @dev Committee seed: prevrandao and the previous block hash of the opening block (see README).
     * @param taskId Task id.
     * @return round The new round's id (attempt counter: an aborted round's id is not reused).
     */
    function openRound(uint256 taskId) external returns (uint32 round) {
        Schedule memory schedule = _schedules[taskId];
        if (schedule.status != TaskStatus.Ready) {
            if (schedule.status == TaskStatus.None) revert AggregatorUnknownTask(taskId);
            revert AggregatorTaskNotReady(taskId, uint8(schedule.status));
        }
        uint256 active = _activeBits;
        uint256 activeCount = Bitmaps256.popcount(active);
        if (activeCount < schedule.minParticipants) {
            revert AggregatorNotEnoughHospitals(activeCount, schedule.minParticipants);
        }
        uint256 openCount = _openTaskCount;
        if (openCount >= MAX_OPEN_ROUNDS) revert AggregatorTooManyOpenRounds(MAX_OPEN_ROUNDS);
        round = schedule.round + 1;
        uint256 seed = uint256(keccak256(abi.encode(block.prevrandao, blockhash(block.number - 1), taskId, round)));
        // Up to FULL_COMMITTEE_THRESHOLD hospitals (or a committee of everyone) no draw is needed.
        uint256 committee = activeCount <= FULL_COMMITTEE_THRESHOLD || schedule.committeeSize >= activeCount
            ? active
            : AggregatorSetup.drawCommittee(
                _reputation, _reputationParams, _reputationRound, active, activeCount, schedule.committeeSize, seed
            );
        uint256 k = Bitmaps256.popcount(committee);
        uint256 quorum = (2 * k + 2) / 3;
        schedule.round = round;
        schedule.openedAt = uint40(block.timestamp);
        schedule.status = TaskStatus.RoundOpen;
        schedule.quorum = uint8(quorum);
        schedule.openSlot = uint8(openCount);
        _schedules[taskId] = schedule;
        _openTaskSlots[openCount] = taskId;
        _openTaskCount = uint8(openCount + 1);
        _resetLiveRound(_live[taskId], committee);
        uint256 commitDeadline = block.timestamp + schedule.commitDuration;
        uint256 shareDeadline = commitDeadline + schedule.shareDuration;
        emit RoundOpened(
            taskId,
            round,
            _models[taskId][schedule.activeModel].sha256,
            committee,
            quorum,
            commitDeadline,
            shareDeadline,
            shareDeadline + schedule.verifyDuration
        );
    }

    /**
     * @notice Commits to this round's update before the commit deadline: `commitment` =
     * keccak256(abi.encode(updateHash, sampleCount, salt, hospital, taskId, round)), see
     * commitmentOf(). One per hospital per round.
     * @param taskId Task id.
     * @param round The task's open round.
     * @param commitment The commitment hash.
     */
    function commit(uint256 taskId, uint32 round, bytes32 commitment) external {
        LiveRound storage live = _commitPhase(taskId, round);
        uint256 committed = live.committed;
        (uint256 bit, bytes memory reason) = _recordCommit(taskId, round, committed, msg.sender, commitment);
        if (reason.length != 0) _revertWith(reason);
        live.committed = committed | bit;
    }

    /**
     * @notice Records many hospitals' commitments in one transaction (anyone may relay it). Each
     * entry is signed by its hospital (see Commit) and checked exactly as commit() checks its
     * sender; an entry that fails reverts the whole batch with AggregatorBatchEntryRejected(index,
     * reason), so a batch lands entirely or not at all. Emits the same UpdateCommitted events as
     * commit().
     * @param taskId Task id.
     * @param round The task's open round.
     * @param entries Signed commitments, at most one per hospital.
     */
    function commitBatch(uint256 taskId, uint32 round, Commit[] calldata entries) external {
        LiveRound storage live = _commitPhase(taskId, round);
        uint256 count = entries.length;
        uint256 committed = live.committed;
        for (uint256 i; i < count; ++i) {
            Commit calldata entry = entries[i];
            bytes32 structHash = keccak256(abi.encode(_COMMIT_TYPEHASH, taskId, round, entry.commitment));
            bytes memory reason = _checkSignature(structHash, entry.hospital, entry.r, entry.vs);
            uint256 bit;
            if (reason.length == 0) {
                (bit, reason) = _recordCommit(taskId, round, committed, entry.hospital, entry.commitment);
            }
            if (reason.length != 0) revert AggregatorBatchEntryRejected(i, reason);
            // Later entries see earlier ones: a hospital twice in a batch is AggregatorAlreadyCommitted.
            committed |= bit;
        }
        live.committed = committed;
    }

    /**
     * @notice Opens the caller's commitment and publishes its encrypted update's CID. Allowed after
     * the commit deadline (or once every active hospital committed) until the share deadline.
     * @param taskId Task id.
     * @param round The task's open round.
     * @param updateHash sha256 of the update (as committed).
     * @param sampleCount Number of local training samples (as committed).
     * @param salt Random salt (as committed).
     * @param epsilonSpent The hospital's cumulative DP ε spent on this task (WAD), self-reported for audit.
     * @param updateCid CID of the encrypted update in the blob store.
     */
    function share(
        uint256 taskId,
        uint32 round,
        bytes32 updateHash,
        uint64 sampleCount,
        bytes32 salt,
        uint256 epsilonSpent,
        string calldata updateCid
    ) external {
        (LiveRound storage live, uint256 committed) = _sharePhase(taskId, round);
        uint256 shared = live.shared;
        (uint256 bit, bytes memory reason) =
            _openCommitment(taskId, round, committed, shared, msg.sender, updateHash, sampleCount, salt, epsilonSpent, updateCid);
        if (reason.length != 0) _revertWith(reason);
        live.shared = shared | bit;
    }

    /**
     * @notice Opens many hospitals' commitments in one transaction (anyone may relay it). Each entry
     * is signed by its hospital (see Share) and checked exactly as share() checks its sender; an
     * entry that fails reverts the whole batch with AggregatorBatchEntryRejected(index, reason).
     * Emits the same UpdateShared events as share().
     * @param taskId Task id.
     * @param round The task's open round.
     * @param entries Signed openings with their update CIDs, at most one per hospital.
     */
    function shareBatch(uint256 taskId, uint32 round, Share[] calldata entries) external {
        (LiveRound storage live, uint256 committed) = _sharePhase(taskId, round);
        uint256 count = entries.length;
        uint256 shared = live.shared;
        for (uint256 i; i < count; ++i) {
            Share calldata entry = entries[i];
            bytes memory reason = _checkSignature(_shareStructHash(taskId, round, entry), entry.hospital, entry.r, entry.vs);
            uint256 bit;
            if (reason.length == 0) {
                (bit, reason) = _openCommitment(
                    taskId, round, committed, shared, entry.hospital, entry.updateHash, entry.sampleCount, entry.salt, entry.epsilonSpent, entry.updateCid
                );
            }
            if (reason.length != 0) revert AggregatorBatchEntryRejected(i, reason);
            shared |= bit;
        }
        live.shared = shared;
    }

    /**
     * @notice Submits a committee member's verdict. Allowed after the share deadline (or once every
     * committed hospital shared) until the verify deadline; once per member per round. When
     * ⌈2k/3⌉ members submitted the same (acceptedBitmap, modelSha256), the round can be finalized
     * with that model and the quality scores of the submission that completed the quorum.
     * @param taskId Task id.
     * @param round The task's open round.
     * @param acceptedBitmap Bit i set = the update of the hospital with registry index i is accepted.
     * @param modelSha256 sha256 of the new global model (the aggregate of the accepted updates).
     * @param modelCid CID of the new global model.
     * @param qualityScores 2 bytes (big-endian, basis points ≤ 10000) per accepted participant, in
     * ascending registry index order.
     */
    function submitVerdict(
        uint256 taskId,
        uint32 round,
        uint256 acceptedBitmap,
        bytes32 modelSha256,
        string calldata modelCid,
        bytes calldata qualityScores
    ) external {
        Schedule memory schedule = _openSchedule(taskId, round);
        LiveRound storage live = _live[taskId];
        _checkVerifyPhase(taskId, round, schedule, live);
        uint256 index = _indexOf(msg.sender);
        uint256 bit = 1 << index;
        uint256 awaiting = live.awaiting;
        if (awaiting & bit == 0) {
            if (live.committee & bit == 0) revert AggregatorNotCommitteeMember(taskId, round, msg.sender);
            revert AggregatorAlreadySubmitted(taskId, round, msg.sender);
        }
        uint256 invalid = acceptedBitmap & ~(live.shared & ~_SENTINEL);
        if (invalid != 0) revert AggregatorAcceptedNotShared(taskId, round, invalid);
        _checkQualityScores(acceptedBitmap, qualityScores);
        live.awaiting = awaiting & ~bit;
        bytes32 key = _voteKey(taskId, round, acceptedBitmap, modelSha256);
        uint256 voters = _votes[key] | bit;
        _votes[key] = voters;
        emit VerdictSubmitted(taskId, round, msg.sender, acceptedBitmap, modelSha256, modelCid, qualityScores);
        // Each member adds one voter, so a key reaches the quorum exactly when its count equals it;
        // two keys cannot both reach ⌈2k/3⌉ of k members, so no "quorum already reached?" read is needed.
        if (Bitmaps256.popcount(voters) == schedule.quorum) {
            live.quorumAccepted = acceptedBitmap;
            Model storage next = _models[taskId][1 - schedule.activeModel];
            next.sha256 = modelSha256;
            next.cid = modelCid;
            _storeQualityScores(taskId, qualityScores);
            emit QuorumReached(taskId, round, acceptedBitmap, modelSha256);
        }
    }

    /**
     * @notice Finalizes a round that reached its quorum: records the new global model, updates
     * reputations (accepted gain; rejected, absent and dissenting lose), credits rewards
     * (pull-based, see claim()) and slashes rejected participants if the task says so. Anyone may
     * call it; a second call reverts with AggregatorRoundAlreadyClosed.
     * @param taskId Task id.
     * @param round The round to finalize.
     */
    function finalize(uint256 taskId, uint32 round) external {
        Schedule memory schedule = _openScheduleOrClosed(taskId, round);
        LiveRound storage live = _live[taskId];
        uint256 quorumAccepted = live.quorumAccepted;
        if (quorumAccepted == _NO_QUORUM) revert AggregatorQuorumNotReached(taskId, round);
        bytes32 key = _voteKey(taskId, round, quorumAccepted, _models[taskId][1 - schedule.activeModel].sha256);
        uint32 repRound = ++_reputationRound;
        Outcome memory outcome;
        outcome.accepted = quorumAccepted;
        outcome.committed = live.committed & ~_SENTINEL;
        outcome.shared = live.shared & ~_SENTINEL;
        outcome.agreeing = _votes[key];
        // Nothing reads a round's votes after finalize: clearing the slot refunds most of its cost.
        delete _votes[key];
        outcome.dissenting = live.committee & ~live.awaiting & ~outcome.agreeing;
        Terms storage terms = _terms[taskId];
        uint256 unpaid = _settle(taskId, round, repRound, terms, outcome);

        schedule.activeModel = 1 - schedule.activeModel;
        schedule.finalizedRounds += 1;
        bytes32 modelSha256 = _models[taskId][schedule.activeModel].sha256;
        bool completed = schedule.finalizedRounds == terms.totalRounds;
        schedule.status = completed ? TaskStatus.Completed : TaskStatus.Ready;
        _schedules[taskId] = schedule;
        _removeOpenTask(schedule.openSlot);
        emit RoundFinalized(
            taskId,
            round,
            modelSha256,
            outcome.accepted,
            outcome.shared & ~outcome.accepted,
            outcome.committed & ~outcome.shared,
            outcome.agreeing,
            outcome.dissenting,
            repRound
        );
        emit RewardsCredited(taskId, round, outcome.participantsPaid, outcome.feePerMember, unpaid);
        if (completed) emit TaskCompleted(taskId, modelSha256);
    }

    /**
     * @notice Aborts a round without quorum after its verify deadline, or after its commit deadline
     * when fewer than minParticipants committed. Anyone may call it; the next round restarts from
     * the last finalized model and nobody's reputation or stake changes.
     * @param taskId Task id.
     * @param round The round to abort.
     */
    function abortRound(uint256 taskId, uint32 round) external {
        Schedule memory schedule = _openScheduleOrClosed(taskId, round);
        LiveRound storage live = _live[taskId];
        if (live.quorumAccepted != _NO_QUORUM) revert AggregatorQuorumAlreadyReached(taskId, round);
        uint256 commitDeadline = uint256(schedule.openedAt) + schedule.commitDuration;
        uint256 verifyDeadline = commitDeadline + schedule.shareDuration + schedule.verifyDuration;
        bool tooFew = Bitmaps256.popcount(live.committed & ~_SENTINEL) < schedule.minParticipants;
        if (block.timestamp <= verifyDeadline && !(tooFew && block.timestamp > commitDeadline)) {
            revert AggregatorAbortTooEarly(taskId, round, tooFew ? commitDeadline : verifyDeadline);
        }
        schedule.status = TaskStatus.Ready;
        _schedules[taskId] = schedule;
        _removeOpenTask(schedule.openSlot);
        emit RoundAborted(taskId, round);
    }

    /**
     * @notice Closes a task (owner) while no round is open and refunds the unspent escrow. A completed
     * task can be closed to collect what was not paid out (rounds without accepted updates, slashes).
     * @param taskId Task id.
     */
    function closeTask(uint256 taskId) external nonReentrant {
        Schedule storage schedule = _schedules[taskId];
        TaskStatus status = schedule.status;
        if (status == TaskStatus.None) revert AggregatorUnknownTask(taskId);
        Terms storage terms = _terms[taskId];
        if (msg.sender != terms.owner) revert AggregatorNotTaskOwner(taskId, msg.sender);
        if (status != TaskStatus.Ready && status != TaskStatus.Completed) {
            revert AggregatorTaskNotReady(taskId, uint8(status));
        }
        uint256 refund = terms.escrow;
        terms.escrow = 0;
        schedule.status = TaskStatus.Closed;
        emit TaskClosed(taskId, refund);
        if (refund > 0) _token.safeTransfer(msg.sender, refund);
    }

    /**
     * @notice Transfers all of the caller's credited, unclaimed rewards to the caller.
     * @return amount Tokens transferred.
     */
    function claim() external nonReentrant returns (uint256 amount) {
        Member memory member = _members[msg.sender];
        if (member.status == HospitalStatus.None || _accounts[member.index] != msg.sender) {
            revert AggregatorNothingToClaim(msg.sender);
        }
        uint256 credited = _creditedOf(member.index);
        amount = credited - _claimed[member.index];
        if (amount == 0) revert AggregatorNothingToClaim(msg.sender);
        _claimed[member.index] = credited;
        emit RewardClaimed(msg.sender, amount);
        _token.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- views

    /**
     * @notice The commitment a hospital must commit to for (updateHash, sampleCount, salt).
     * @dev Binds the hospital, task and round so that a commitment cannot be copied or replayed.
     * @param updateHash Digest of the update.
     * @param sampleCount Local training samples behind the update.
     * @param salt Random salt kept until the share step.
     * @param account The committing hospital.
     * @param taskId Task id.
     * @param round Round id.
     * @return The commitment hash.
     */
    function commitmentOf(
        bytes32 updateHash,
        uint64 sampleCount,
        bytes32 salt,
        address account,
        uint256 taskId,
        uint32 round
    ) public pure returns (bytes32) {
        return keccak256(abi.encode(updateHash, sampleCount, salt, account, taskId, round));
    }

    /// @notice The stake and reward token.
    function token() external view returns (IERC20) {
        return _token;
    }

    /// @notice Current governance account.
    function governance() external view returns (address) {
        return _governance;
    }

    /**
     * @notice Minimum stake and exit delay.
     * @return minStake Minimum stake in token units.
     * @return exitDelay Seconds between requestExit() and withdrawStake().
     */
    function consortiumConfig() external view returns (uint256 minStake, uint256 exitDelay) {
        return (_minStake, _exitDelay);
    }

    /// @notice Reputation parameters.
    function reputationParams() external view returns (ReputationMath.Params memory) {
        return _reputationParams;
    }

    /// @notice Number of finalized rounds across all tasks: the clock reputation decays by.
    function reputationRound() external view returns (uint256) {
        return _reputationRound;
    }

    /// @notice Bitmap of active hospitals (by registry index).
    function activeHospitals() external view returns (uint256) {
        return _activeBits;
    }

    /// @notice Number of registry indices assigned so far (indices 0 … hospitalCount()-1).
    function hospitalCount() external view returns (uint256) {
        return _nextIndex;
    }

    /// @notice Account holding registry index `index` (zero if unassigned).
    /// @param index Registry index.
    function hospitalAt(uint256 index) external view returns (address) {
        return _accounts[index];
    }

    /**
     * @notice Registration record of `account`.
     * @param account Hospital (or applicant) address.
     * @return status HospitalStatus as uint8.
     * @return index Registry index (meaningful once admitted).
     * @return profile Stake, exit time and discovery data.
     */
    function hospital(address account)
        external
        view
        returns (uint8 status, uint8 index, Profile memory profile)
    {
        Member memory member = _members[account];
        return (uint8(member.status), member.index, _profiles[account]);
    }

    /**
     * @notice Stored reputation of the hospital with registry index `index` (as last updated, not
     * decayed to the current reputation round) and the score of that state — the score the next
     * reward split uses.
     * @param index Registry index.
     * @return positive Positive evidence (WAD).
     * @return negative Negative evidence (WAD).
     * @return lastRound Reputation round of the last update.
     * @return score Trust score in [0, 1e18].
     */
    function reputationOf(uint256 index)
        external
        view
        returns (uint256 positive, uint256 negative, uint256 lastRound, uint256 score)
    {
        ReputationMath.Params memory params = _reputationParams;
        (positive, negative, lastRound) = _loadReputation(index);
        score = ReputationMath.score(positive, negative, params.priorWeight, params.baseRate);
    }

    /// @notice Credited-but-unclaimed rewards of `account`.
    /// @param account Hospital address.
    function claimable(address account) external view returns (uint256) {
        Member memory member = _members[account];
        if (member.status == HospitalStatus.None || _accounts[member.index] != account) return 0;
        return _creditedOf(member.index) - _claimed[member.index];
    }

    /// @notice Number of tasks created (ids 1 … taskCount()).
    function taskCount() external view returns (uint256) {
        return _taskCount;
    }

    /// @notice Schedule, status and round counters of `taskId`.
    /// @param taskId Task id.
    function taskSchedule(uint256 taskId) external view returns (Schedule memory) {
        return _schedules[taskId];
    }

    /// @notice Owner, economics, DP budget, data schema and remaining escrow of `taskId`.
    /// @param taskId Task id.
    function taskTerms(uint256 taskId) external view returns (Terms memory) {
        return _terms[taskId];
    }

    /// @notice Last finalized global model of `taskId` (the model spec before the first finalized round).
    /// @param taskId Task id.
    function currentModel(uint256 taskId) external view returns (Model memory) {
        return _models[taskId][_schedules[taskId].activeModel];
    }

    /**
     * @notice State of the open (or last) round of `taskId`; bitmaps without the sentinel bit.
     * @param taskId Task id.
     * @return committed Hospitals that committed.
     * @return shared Hospitals that opened their commitment.
     * @return committee Committee of the round.
     * @return submitted Committee members that submitted a verdict.
     * @return quorumKey Winning vote key, zero while no quorum.
     * @return quorumAccepted Accepted bitmap of the quorum verdict.
     */
    function roundState(uint256 taskId)
        external
        view
        returns (
            uint256 committed,
            uint256 shared,
            uint256 committee,
            uint256 submitted,
            bytes32 quorumKey,
            uint256 quorumAccepted
        )
    {
        LiveRound memory live = _live[taskId];
        Schedule storage schedule = _schedules[taskId];
        // A task that never opened a round has all-zero round state, which is not a quorum either.
        if (live.quorumAccepted != _NO_QUORUM && schedule.round != 0) {
            quorumAccepted = live.quorumAccepted;
            uint256 active = schedule.activeModel;
            // Until finalize the quorum's model is the inactive one of the pair; after, the active one.
            uint256 slot = schedule.status == TaskStatus.RoundOpen ? 1 - active : active;
            quorumKey = _voteKey(taskId, schedule.round, quorumAccepted, _models[taskId][slot].sha256);
        }
        return (
            live.committed & ~_SENTINEL,
            live.shared & ~_SENTINEL,
            live.committee,
            live.committee & ~live.awaiting,
            quorumKey,
            quorumAccepted
        );
    }

    // ---------------------------------------------------------------- internals

    /// @dev Key of a verdict in _votes: members agree when they submit the same key.
    function _voteKey(uint256 taskId, uint32 round, uint256 acceptedBitmap, bytes32 modelSha256)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(taskId, round, acceptedBitmap, modelSha256));
    }

    /// @dev The round checks of commit() that do not depend on the hospital.
    function _commitPhase(uint256 taskId, uint32 round) private view returns (LiveRound storage) {
        Schedule memory schedule = _openSchedule(taskId, round);
        uint256 deadline = uint256(schedule.openedAt) + schedule.commitDuration;
        if (block.timestamp > deadline) revert AggregatorCommitPhaseClosed(taskId, round, deadline);
        return _live[taskId];
    }

    /**
     * @dev Stores `account`'s commitment and emits UpdateCommitted, or returns the revert data that
     * says why `account` may not commit (the caller reverts with it, or wraps it for a batch). The
     * caller sets the returned bit in the round's committed bitmap.
     */
    function _recordCommit(uint256 taskId, uint32 round, uint256 committed, address account, bytes32 commitment)
        private
        returns (uint256 bit, bytes memory reason)
    {
        uint256 index;
        (index, reason) = _memberIndex(account, true);
        if (reason.length != 0) return (0, reason);
        if (commitment == bytes32(0)) return (0, abi.encodeWithSelector(AggregatorEmptyCommitment.selector));
        bit = 1 << index;
        if (committed & bit != 0) {
            return (0, abi.encodeWithSelector(AggregatorAlreadyCommitted.selector, taskId, round, account));
        }
        _commitments[taskId][index] = commitment;
        emit UpdateCommitted(taskId, round, account, commitment);
    }

    /// @dev The round checks of share() that do not depend on the hospital.
    function _sharePhase(uint256 taskId, uint32 round) private view returns (LiveRound storage live, uint256 committed) {
        Schedule memory schedule = _openSchedule(taskId, round);
        live = _live[taskId];
        committed = live.committed;
        uint256 commitDeadline = uint256(schedule.openedAt) + schedule.commitDuration;
        if (block.timestamp <= commitDeadline && committed != (_activeBits | _SENTINEL)) {
            revert AggregatorSharePhaseNotStarted(taskId, round, commitDeadline);
        }
        uint256 shareDeadline = commitDeadline + schedule.shareDuration;
        if (block.timestamp > shareDeadline) revert AggregatorSharePhaseClosed(taskId, round, shareDeadline);
    }

    /**
     * @dev Checks that `account` opens its commitment with (updateHash, sampleCount, salt); returns
     * its bit, or the revert data that says why not. Admitted hospitals of any status may open (an
     * exiting hospital still owes its share).
     */
    function _openCommitment(
        uint256 taskId,
        uint32 round,
        uint256 committed,
        uint256 shared,
        address account,
        bytes32 updateHash,
        uint64 sampleCount,
        bytes32 salt,
        uint256 epsilonSpent,
        string calldata updateCid
    ) private returns (uint256 bit, bytes memory reason) {
        uint256 index;
        (index, reason) = _memberIndex(account, false);
        if (reason.length != 0) return (0, reason);
        bit = 1 << index;
        if (committed & bit == 0) {
            return (0, abi.encodeWithSelector(AggregatorNotCommitted.selector, taskId, round, account));
        }
        if (shared & bit != 0) return (0, abi.encodeWithSelector(AggregatorAlreadyShared.selector, taskId, round, account));
        bytes32 expected = _commitments[taskId][index];
        bytes32 computed = commitmentOf(updateHash, sampleCount, salt, account, taskId, round);
        if (computed != expected) {
            return (0, abi.encodeWithSelector(AggregatorCommitmentMismatch.selector, taskId, round, expected, computed));
        }
        emit UpdateShared(taskId, round, account, updateHash, sampleCount, epsilonSpent, updateCid);
    }

    function _shareStructHash(uint256 taskId, uint32 round, Share calldata entry) private pure returns (bytes32) {
        return keccak256(
            abi.encode(
                _SHARE_TYPEHASH,
                taskId,
                round,
                entry.updateHash,
                entry.sampleCount,
                entry.salt,
                entry.epsilonSpent,
                keccak256(bytes(entry.updateCid))
            )
        );
    }

    /// @dev Empty when `account` signed `structHash` under this contract's EIP-712 domain.
    function _checkSignature(bytes32 structHash, address account, bytes32 r, bytes32 vs)
        private
        view
        returns (bytes memory reason)
    {
        // tryRecover: a malformed signature is the entry's fault, reported like a wrong signer.
        (address signer,,) = ECDSA.tryRecover(_hashTypedDataV4(structHash), r, vs);
        if (signer == address(0) || signer != account) {
            return abi.encodeWithSelector(AggregatorInvalidSignature.selector, account, signer);
        }
    }

    /// @dev Reverts with `reason` as the revert data, exactly as if the error had been thrown here.
    function _revertWith(bytes memory reason) private pure {
        // Solidity cannot rethrow ABI-encoded error data without assembly; this is the whole of it.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            revert(add(reason, 0x20), mload(reason))
        }
    }

    /// @dev Accepted participants in ascending index order, with their reward-split inputs.
    struct Accepted {
        uint256[] indices;
        uint256[] scores;
        uint256[] qualities;
    }

    /// @dev Finalize bookkeeping passed between the steps (avoids stack-too-deep).
    struct Outcome {
        uint256 accepted;
        uint256 committed;
        uint256 shared;
        uint256 agreeing;
        uint256 dissenting;
        uint256 participantsPaid;
        uint256 feePerMember;
    }

    /**
     * @dev Reputation and reward credit of a finalized round. Loops over committed participants and
     * committee members only; returns the part of the round reward that stays in escrow.
     */
    function _settle(uint256 taskId, uint32 round, uint32 repRound, Terms storage terms, Outcome memory outcome)
        private
        returns (uint256 unpaid)
    {
        ReputationMath.Params memory params = _reputationParams;
        uint256 acceptedCount = Bitmaps256.popcount(outcome.accepted);
        Accepted memory accepted = Accepted({
            indices: new uint256[](acceptedCount),
            scores: new uint256[](acceptedCount),
            qualities: new uint256[](acceptedCount)
        });
        uint256 slashed = _updateParticipants(taskId, round, repRound, terms.slashAmount, params, outcome, accepted);
        uint256 pool = terms.rewardPerRound;
        uint256 members = Bitmaps256.popcount(outcome.agreeing);
        (uint256 feePerMember, uint256[] memory shares) =
            ReputationMath.split(pool, terms.committeeFeeBps, members, accepted.scores, accepted.qualities);
        outcome.feePerMember = feePerMember;
        uint256 paid;
        for (uint256 i; i < acceptedCount; ++i) {
            _credit(accepted.indices[i], shares[i]);
            paid += shares[i];
        }
        outcome.participantsPaid = paid;
        for (uint256 bits = outcome.agreeing; bits != 0; bits &= bits - 1) {
            _credit(Bitmaps256.lowestBit(bits), feePerMember);
        }
        for (uint256 bits = outcome.dissenting; bits != 0; bits &= bits - 1) {
            _addEvidence(Bitmaps256.lowestBit(bits), repRound, params.decay, 0, params.weightDisagreement);
        }
        paid += feePerMember * members;
        unpaid = pool - paid;
        terms.escrow = terms.escrow - paid + slashed;
    }

    /**
     * @dev One pass over the committed participants in ascending index order: decay, record the
     * accepted ones' pre-update scores and quality scores for the reward split, add this round's
     * evidence, slash rejected updates when the task says so.
     */
    function _updateParticipants(
        uint256 taskId,
        uint32 round,
        uint32 repRound,
        uint256 slashAmount,
        ReputationMath.Params memory params,
        Outcome memory outcome,
        Accepted memory accepted
    ) private returns (uint256 slashed) {
        _loadQualities(taskId, accepted.qualities);
        uint256 position;
        uint256 acceptedBits = outcome.accepted;
        uint256 sharedBits = outcome.shared;
        uint256 rest = outcome.committed;
        uint256 index;
        // Bit-by-bit walk with whole-byte skips: cheaper per participant than isolating each bit
        // with log2, and bounded by 32 skips + 255 steps.
        while (rest != 0) {
            if (rest & 0xff == 0) {
                rest >>= 8;
                index += 8;
                continue;
            }
            if (rest & 1 == 0) {
                rest >>= 1;
                ++index;
                continue;
            }
            uint256 bit = 1 << index;
            (uint256 positive, uint256 negative, uint256 lastRound) = _loadReputation(index);
            if (acceptedBits & bit != 0) {
                accepted.indices[position] = index;
                // The reward weight uses the stored state, read before this round's update (decay + event).
                accepted.scores[position] =
                    ReputationMath.score(positive, negative, params.priorWeight, params.baseRate);
                ++position;
            }
            (positive, negative) = ReputationMath.decayTo(positive, negative, lastRound, repRound, params.decay);
            if (acceptedBits & bit != 0) {
                positive += params.weightAccepted;
            } else if (sharedBits & bit != 0) {
                negative += params.weightRejected;
                if (slashAmount > 0) slashed += _slash(index, slashAmount, taskId, round);
            } else {
                negative += params.weightAbsent;
            }
            _storeReputation(index, positive, negative, repRound);
            rest >>= 1;
            ++index;
        }
    }

    /// @dev Unpacks the quorum's quality scores (16 per storage word) into `qualities`.
    function _loadQualities(uint256 taskId, uint256[] memory qualities) private view {
        uint256 word;
        uint256 count = qualities.length;
        for (uint256 i; i < count; ++i) {
            if (i % 16 == 0) word = _quorumScores[taskId][i / 16];
            qualities[i] = (word >> (240 - 16 * (i % 16))) & 0xffff;
        }
    }

    function _credit(uint256 index, uint256 amount) private {
        if (amount == 0) return;
        uint256 shift = (index & 1) * 128;
        uint256 packed = _credited[index >> 1];
        uint256 credited = ((packed >> shift) & _MASK128) + amount;
        _credited[index >> 1] = (packed & ~(_MASK128 << shift)) | (uint256(credited.toUint128()) << shift);
    }

    function _creditedOf(uint256 index) private view returns (uint256) {
        return (_credited[index >> 1] >> ((index & 1) * 128)) & _MASK128;
    }

    function _loadReputation(uint256 index)
        private
        view
        returns (uint256 positive, uint256 negative, uint256 lastRound)
    {
        uint256 packed = _reputation[index];
        return (packed & _MASK96, (packed >> 96) & _MASK96, packed >> 192);
    }

    function _storeReputation(uint256 index, uint256 positive, uint256 negative, uint256 round) private {
        _reputation[index] = uint256(positive.toUint96()) | (uint256(negative.toUint96()) << 96) | (round << 192);
    }

    function _slash(uint256 index, uint256 amount, uint256 taskId, uint32 round) private returns (uint256) {
        address account = _accounts[index];
        Profile storage profile = _profiles[account];
        uint256 stake = profile.stake;
        if (amount > stake) amount = stake;
        uint256 remaining = stake - amount;
        profile.stake = uint128(remaining);
        emit StakeSlashed(account, taskId, round, amount);
        Member storage member = _members[account];
        if (member.status == HospitalStatus.Active && remaining < _minStake) {
            member.status = HospitalStatus.Suspended;
            _activeBits &= ~(1 << index);
            emit HospitalSuspended(account, remaining);
        }
        return amount;
    }

    function _addEvidence(uint256 index, uint32 repRound, uint256 decay, uint256 addPositive, uint256 addNegative)
        private
    {
        (uint256 positive, uint256 negative, uint256 lastRound) = _loadReputation(index);
        (positive, negative) = ReputationMath.decayTo(positive, negative, lastRound, repRound, decay);
        _storeReputation(index, positive + addPositive, negative + addNegative, repRound);
    }

    function _storeQualityScores(uint256 taskId, bytes calldata qualityScores) private {
        uint256 words = (qualityScores.length + 31) / 32;
        for (uint256 w; w < words; ++w) {
            uint256 word;
            uint256 start = 32 * w;
            uint256 end = start + 32 > qualityScores.length ? qualityScores.length : start + 32;
            // Copy the word's bytes; bytes past the end of the scores are left zero.
            word = uint256(bytes32(qualityScores[start:end])) ;
            _quorumScores[taskId][w] = word;
        }
    }

    function _checkQualityScores(uint256 acceptedBitmap, bytes calldata qualityScores) private pure {
        uint256 expected = 2 * Bitmaps256.popcount(acceptedBitmap);
        if (qualityScores.length != expected) revert AggregatorQualityScoresLength(expected, qualityScores.length);
        // One calldata slice per 32-byte word (sixteen scores), then shifts: slicing every 2-byte
        // score costs a bounds-checked slice each.
        for (uint256 start; start < expected; start += 32) {
            uint256 end = start + 32 > expected ? expected : start + 32;
            // A shorter last slice is padded with zero bytes; the inner loop stops before them.
            uint256 word = uint256(bytes32(qualityScores[start:end]));
            for (uint256 i = start; i < end; i += 2) {
                uint256 score = word >> 240;
                if (score > _BPS) revert AggregatorQualityScoreTooHigh(i / 2, score);
                word <<= 16;
            }
        }
    }

    function _checkVerifyPhase(uint256 taskId, uint32 round, Schedule memory schedule, LiveRound storage live)
        private
        view
    {
        uint256 commitDeadline = uint256(schedule.openedAt) + schedule.commitDuration;
        uint256 shareDeadline = commitDeadline + schedule.shareDuration;
        uint256 verifyDeadline = shareDeadline + schedule.verifyDuration;
        if (block.timestamp > verifyDeadline) revert AggregatorVerifyPhaseClosed(taskId, round, verifyDeadline);
        uint256 committed = live.committed;
        if (block.timestamp <= shareDeadline) {
            // Early start: every committed hospital shared, and the commit phase is over.
            bool commitsOver = block.timestamp > commitDeadline || committed == (_activeBits | _SENTINEL);
            if (!commitsOver || live.shared != committed) {
                revert AggregatorVerifyPhaseNotStarted(taskId, round, shareDeadline);
            }
        }
        uint256 committedCount = Bitmaps256.popcount(committed & ~_SENTINEL);
        if (committedCount < schedule.minParticipants) {
            revert AggregatorNotEnoughParticipants(taskId, round, committedCount, schedule.minParticipants);
        }
    }


    function _openSchedule(uint256 taskId, uint32 round) private view returns (Schedule memory schedule) {
        schedule = _schedules[taskId];
        if (schedule.status != TaskStatus.RoundOpen || schedule.round != round) {
            revert AggregatorRoundNotOpen(taskId, round);
        }
    }

    function _openScheduleOrClosed(uint256 taskId, uint32 round) private view returns (Schedule memory schedule) {
        schedule = _schedules[taskId];
        if (schedule.status != TaskStatus.RoundOpen || schedule.round != round) {
            if (schedule.status != TaskStatus.None && round != 0 && round <= schedule.round) {
                revert AggregatorRoundAlreadyClosed(taskId, round);
            }
            revert AggregatorRoundNotOpen(taskId, round);
        }
    }

    /// @dev Starts a task's reused round state afresh; every write is nonzero→nonzero in steady state.
    function _resetLiveRound(LiveRound storage live, uint256 committee) private {
        live.committed = _SENTINEL;
        live.shared = _SENTINEL;
        live.awaiting = committee | _SENTINEL;
        live.committee = committee;
        live.quorumAccepted = _NO_QUORUM;
    }

    /// @dev Swap-and-pop removal from the open-task slots; the moved task learns its new slot.
    function _removeOpenTask(uint256 slot) private {
        uint256 last = _openTaskCount - 1;
        if (slot != last) {
            uint256 moved = _openTaskSlots[last];
            _openTaskSlots[slot] = moved;
            _schedules[moved].openSlot = uint8(slot);
        }
        _openTaskCount = uint8(last);
    }

    /// @dev Registry index of a hospital that was admitted (any status after admission).
    function _indexOf(address account) private view returns (uint256 index) {
        bytes memory reason;
        (index, reason) = _memberIndex(account, false);
        if (reason.length != 0) _revertWith(reason);
    }

    function _activeBit(address account) private view returns (uint256) {
        (uint256 index, bytes memory reason) = _memberIndex(account, true);
        if (reason.length != 0) _revertWith(reason);
        return 1 << index;
    }

    /**
     * @dev Registry index of `account` if it was admitted (and is active, when `mustBeActive`);
     * otherwise the revert data saying why not. One place for the membership checks of every path.
     */
    function _memberIndex(address account, bool mustBeActive)
        private
        view
        returns (uint256 index, bytes memory reason)
    {
        Member storage member = _members[account];
        HospitalStatus status = member.status;
        // Registry indices are never reused, so an admitted account's index is its own for good.
        if (status == HospitalStatus.None || status == HospitalStatus.Pending) {
            return (0, abi.encodeWithSelector(AggregatorNotHospital.selector, account));
        }
        if (mustBeActive && status != HospitalStatus.Active) {
            return (0, abi.encodeWithSelector(AggregatorHospitalNotActive.selector, account, uint8(status)));
        }
        return (member.index, reason);
    }

    /// @dev Votes among currently active hospitals and the ⅔ threshold (rounded up).
    function _tally(uint256 votes) private view returns (uint256 count, uint256 required) {
        uint256 active = _activeBits;
        count = Bitmaps256.popcount(votes & active);
        required = (2 * Bitmaps256.popcount(active) + 2) / 3;
    }

    function _admit(address applicant) private {
        Member storage member = _members[applicant];
        if (member.status != HospitalStatus.Pending) revert AggregatorNotApplicant(applicant);
        uint256 index = _nextIndex;
        if (index >= MAX_HOSPITALS) revert AggregatorRegistryFull(MAX_HOSPITALS);
        _nextIndex = uint8(index + 1);
        member.index = uint8(index);
        member.status = HospitalStatus.Active;
        _accounts[index] = applicant;
        _activeBits |= 1 << index;
        emit HospitalAdmitted(applicant, uint8(index));
    }

    function _transferGovernance(address next) private {
        if (next == address(0)) revert AggregatorZeroAddress();
        address previous = _governance;
        _governance = next;
        _revokeRole(DEFAULT_ADMIN_ROLE, previous);
        _revokeRole(TASK_CREATOR_ROLE, previous);
        _grantRole(DEFAULT_ADMIN_ROLE, next);
        _grantRole(TASK_CREATOR_ROLE, next);
        emit GovernanceTransferred(previous, next);
    }

    function _setConsortiumConfig(uint256 minStake, uint256 exitDelay) private {
        _minStake = minStake.toUint128();
        _exitDelay = exitDelay.toUint64();
        emit ConsortiumConfigUpdated(minStake, exitDelay);
    }

    function _setReputationParams(ReputationMath.Params memory params) private {
        if (params.decay == 0 || params.decay > ReputationMath.WAD) revert AggregatorInvalidConfig("decay");
        if (params.baseRate > ReputationMath.WAD) revert AggregatorInvalidConfig("baseRate");
        if (params.priorWeight == 0) revert AggregatorInvalidConfig("priorWeight");
        _reputationParams = params;
        emit ReputationParamsUpdated(
            params.decay,
            params.weightAccepted,
            params.weightRejected,
            params.weightAbsent,
            params.weightDisagreement,
            params.priorWeight,
            params.baseRate
        );
    }
}
