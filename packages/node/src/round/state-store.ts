import { join } from 'node:path'
import { FedchainError } from '../errors.js'
import { readJsonIfExists, writeJsonAtomic } from '../util/atomic-json.js'
import { canAdvance, isRoundPhase, type RoundPhase } from './phases.js'

/**
 * The DP cost of releasing a committed update (DP-SGD steps at one noise multiplier and sampling
 * rate): kept with the commitment and charged to the privacy ledger only when the update is shared.
 */
export interface PrivacyCharge {
  readonly noiseMultiplier: number
  readonly sampleRate: number
  readonly steps: number
}

/** What a node must remember about its commitment to open it later, even after a crash. */
export interface CommitRecord {
  /** sha256 of the serialized update, 0x-hex. */
  readonly updateHash: string
  readonly sampleCount: number
  /** 32 random bytes, 0x-hex; losing them makes the commitment impossible to open. */
  readonly salt: string
  /** The commitment sent on chain, 0x-hex. */
  readonly commitment: string
  /** Where the plaintext update is kept until the round ends. */
  readonly updatePath: string
  readonly txHash?: string
  /** With DP: what sharing this update costs (not yet charged while the round is before `shared`). */
  readonly privacyCharge?: PrivacyCharge
}

/** A node's persisted progress in one round of one task. */
export interface RoundState {
  readonly version: 1
  readonly taskId: string
  readonly round: number
  readonly phase: RoundPhase
  readonly commit?: CommitRecord
  /** CID of the encrypted update in the blob store, once shared. */
  readonly sharedCid?: string
  readonly submissionTx?: string
  readonly finalizeTx?: string
  readonly updatedAt: string
}

/** The state file is unreadable or was written by an incompatible version. */
export class RoundStateCorruptError extends FedchainError {
  constructor(path: string, reason: string) {
    super('ROUND_STATE_CORRUPT', `round state ${path} is unreadable: ${reason}`, {
      details: { path, reason },
      hint: 'move the file aside; the node then rejoins from the chain state (an open commitment cannot be revealed without it)',
    })
  }
}

/** A transition the round protocol does not allow, e.g. committing twice. */
export class InvalidRoundTransitionError extends FedchainError {
  constructor(taskId: string, round: number, from: RoundPhase, to: RoundPhase) {
    super('ROUND_INVALID_TRANSITION', `task ${taskId} round ${round}: cannot go from ${from} to ${to}`, {
      details: { taskId, round, from, to },
    })
  }
}

function validate(path: string, value: unknown): RoundState {
  if (value === null || typeof value !== 'object') throw new RoundStateCorruptError(path, 'not a JSON object')
  const state = value as Partial<RoundState>
  if (state.version !== 1) throw new RoundStateCorruptError(path, `unknown version ${String(state.version)}`)
  if (typeof state.taskId !== 'string' || !Number.isInteger(state.round) || !isRoundPhase(state.phase)) {
    throw new RoundStateCorruptError(path, 'taskId, round or phase missing')
  }
  if (state.phase !== 'idle' && state.phase !== 'training' && state.phase !== 'aborted' && state.commit === undefined) {
    throw new RoundStateCorruptError(path, `phase ${state.phase} without a commit record`)
  }
  const charge = state.commit?.privacyCharge
  if (charge !== undefined && !isPrivacyCharge(charge)) throw new RoundStateCorruptError(path, 'commit.privacyCharge is malformed')
  return state as RoundState
}

function isPrivacyCharge(value: unknown): value is PrivacyCharge {
  const charge = value as Partial<PrivacyCharge> | null
  return (
    typeof charge === 'object' &&
    charge !== null &&
    typeof charge.noiseMultiplier === 'number' &&
    charge.noiseMultiplier > 0 &&
    Number.isFinite(charge.noiseMultiplier) &&
    typeof charge.sampleRate === 'number' &&
    charge.sampleRate > 0 &&
    charge.sampleRate <= 1 &&
    Number.isInteger(charge.steps) &&
    (charge.steps as number) > 0
  )
}

/**
 * Keeps one task's round state in `<dataDir>/tasks/<taskId>/round.json`, written atomically before
 * the node acts on it, so a node killed at any point resumes without committing twice or losing the
 * salt of an open commitment.
 */
export class RoundStateStore {
  readonly path: string
  readonly #taskId: string

  constructor(dataDir: string, taskId: string) {
    this.#taskId = taskId
    this.path = join(dataDir, 'tasks', taskId, 'round.json')
  }

  /** The saved state; undefined before the node's first round of this task. */
  async load(): Promise<RoundState | undefined> {
    let value: unknown
    try {
      value = await readJsonIfExists(this.path)
    } catch (error) {
      throw new RoundStateCorruptError(this.path, (error as Error).message)
    }
    return value === undefined ? undefined : validate(this.path, value)
  }

  /**
   * Moves to `phase` in `round`, merging `fields`. A new round may start from any terminal phase
   * (or from nothing); within a round only the protocol's transitions are allowed.
   * @throws {InvalidRoundTransitionError}
   */
  async advance(round: number, phase: RoundPhase, fields: Partial<Omit<RoundState, 'version' | 'taskId' | 'round' | 'phase' | 'updatedAt'>> = {}): Promise<RoundState> {
    const current = await this.load()
    let base: Partial<RoundState> = {}
    if (current !== undefined && current.round === round) {
      if (!canAdvance(current.phase, phase)) throw new InvalidRoundTransitionError(this.#taskId, round, current.phase, phase)
      base = current
    } else if ((current !== undefined && current.round > round) || !['idle', 'training', 'aborted'].includes(phase)) {
      // A node never goes back to an older round, and enters a new one only from its start.
      throw new InvalidRoundTransitionError(this.#taskId, round, current?.phase ?? 'idle', phase)
    }
    const next: RoundState = {
      ...base,
      ...fields,
      version: 1,
      taskId: this.#taskId,
      round,
      phase,
      updatedAt: new Date().toISOString(),
    }
    await writeJsonAtomic(this.path, next)
    return next
  }

  /**
   * Records `fields` (a transaction hash, say) in the current round without changing phase.
   * @throws {InvalidRoundTransitionError} when no state of `round` exists
   */
  async record(round: number, fields: Partial<Omit<RoundState, 'version' | 'taskId' | 'round' | 'phase' | 'updatedAt'>>): Promise<RoundState> {
    const current = await this.load()
    if (current === undefined || current.round !== round) {
      throw new InvalidRoundTransitionError(this.#taskId, round, current?.phase ?? 'idle', current?.phase ?? 'idle')
    }
    const next: RoundState = { ...current, ...fields, updatedAt: new Date().toISOString() }
    await writeJsonAtomic(this.path, next)
    return next
  }
}
