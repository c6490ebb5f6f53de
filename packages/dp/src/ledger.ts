/**
 * A per-task privacy budget ledger persisted as one JSON file, written atomically (temporary file,
 * fsync, rename), so that a crash at any point leaves either the old or the new state — never a
 * partial one — and a restarted node resumes with the ε it had actually spent.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { RdpAccountant } from './accountant.js'
import type { AccountantStepInput } from './accountant.js'
import { checkDelta, checkNoiseMultiplier, checkSampleRate, checkSteps } from './analysis/rdp.js'
import { InvalidArgumentError, LedgerStateError, PrivacyBudgetExceededError } from './errors.js'

/** Options of {@link PrivacyBudgetLedger.open}. */
export interface PrivacyBudgetLedgerInit {
  /** Directory holding the ledger files (one `<taskId>.json` per task); created if missing. */
  readonly directory: string
  /** The task this budget belongs to: letters, digits, `.`, `_`, `-` (1–128 characters). */
  readonly taskId: string
  /** Total ε the task may spend (> 0). */
  readonly epsilonBudget: number
  /** δ of the guarantee, in (0, 1). */
  readonly delta: number
}

/** One step (or a batch of identical steps) to charge. */
export interface LedgerCharge extends AccountantStepInput {
  /** Free-form label stored with the entry (e.g. `"round 12"`). */
  readonly label?: string
}

/** A recorded charge. */
export interface LedgerEntry {
  /** Noise multiplier σ of the charged steps. */
  readonly noiseMultiplier: number
  /** Sampling rate q of the charged steps. */
  readonly sampleRate: number
  /** Number of steps charged. */
  readonly steps: number
  /** ε spent by the task after this charge. */
  readonly epsilonAfter: number
  /** ISO-8601 time of the charge. */
  readonly chargedAt: string
  /** The label given to {@link PrivacyBudgetLedger.charge}, if any. */
  readonly label?: string
}

/** Result of a successful {@link PrivacyBudgetLedger.charge}. */
export interface LedgerChargeResult {
  /** ε spent after the charge. */
  readonly epsilonSpent: number
  /** ε still available: budget − spent. */
  readonly epsilonRemaining: number
}

/** The file format. */
interface LedgerFile {
  readonly format: 'fedchain-privacy-ledger'
  readonly version: 1
  readonly taskId: string
  readonly epsilonBudget: number
  readonly delta: number
  readonly entries: readonly LedgerEntry[]
}

const TASK_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/

/**
 * The privacy budget of one task on one node: every DP step is charged here first, and a step that
 * would take ε past the budget is refused before it happens.
 *
 * @example
 * ```ts
 * const ledger = await PrivacyBudgetLedger.open({ directory: dataDir, taskId: 'task-7', epsilonBudget: 3, delta: 1e-5 })
 * await ledger.charge({ noiseMultiplier: 1.1, sampleRate: 0.01, steps: 50, label: 'round 1' }) // throws PrivacyBudgetExceededError when over
 * ledger.epsilonSpent // published on chain each round
 * ```
 */
export class PrivacyBudgetLedger {
  /** The task this ledger belongs to. */
  readonly taskId: string
  /** Total ε the task may spend. */
  readonly epsilonBudget: number
  /** δ of the guarantee. */
  readonly delta: number
  /** Path of the JSON file. */
  readonly path: string
  private readonly _accountant = new RdpAccountant()
  private readonly _entries: LedgerEntry[] = []
  private _epsilonSpent = 0
  /** Charges run one after the other, so two concurrent charges cannot both pass the check. */
  private _queue: Promise<unknown> = Promise.resolve()

  private constructor(init: PrivacyBudgetLedgerInit, path: string) {
    this.taskId = init.taskId
    this.epsilonBudget = init.epsilonBudget
    this.delta = init.delta
    this.path = path
  }

  /**
   * Opens the ledger of `taskId`, loading its file if it exists and creating it otherwise.
   * @throws {InvalidArgumentError} on a bad task id, budget or δ
   * @throws {LedgerStateError} when the file is corrupted or was created with another budget or δ
   */
  static async open(init: PrivacyBudgetLedgerInit): Promise<PrivacyBudgetLedger> {
    if (!TASK_ID_PATTERN.test(init.taskId)) {
      throw new InvalidArgumentError('taskId', `must match ${TASK_ID_PATTERN}, got ${JSON.stringify(init.taskId)}`)
    }
    if (!(init.epsilonBudget > 0) || !Number.isFinite(init.epsilonBudget)) {
      throw new InvalidArgumentError('epsilonBudget', `must be a positive finite number, got ${init.epsilonBudget}`)
    }
    checkDelta(init.delta)
    await mkdir(init.directory, { recursive: true })
    const ledger = new PrivacyBudgetLedger(init, join(init.directory, `${init.taskId}.json`))
    let text: string | undefined
    try {
      text = await readFile(ledger.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new LedgerStateError(ledger.path, 'cannot be read', { cause: error, hint: 'check the file permissions' })
      }
    }
    if (text === undefined) {
      await ledger._persist([])
    } else {
      ledger._load(text)
    }
    return ledger
  }

  /** ε spent so far (0 before the first charge). */
  get epsilonSpent(): number {
    return this._epsilonSpent
  }

  /** ε still available (never negative). */
  get epsilonRemaining(): number {
    return Math.max(0, this.epsilonBudget - this._epsilonSpent)
  }

  /** Every charge, oldest first. */
  get entries(): readonly LedgerEntry[] {
    return this._entries.map((entry) => ({ ...entry }))
  }

  /** A copy of the accountant holding every charged step. */
  get accountant(): RdpAccountant {
    return this._accountant.clone()
  }

  /**
   * ε the task would have spent after `step`, without charging it.
   * @throws {InvalidArgumentError} on σ < 0, q ∉ (0, 1] or a bad step count
   */
  epsilonAfter(step: AccountantStepInput): number {
    return this._accountant.epsilonAfter(this.delta, step)
  }

  /** Whether `step` fits in the remaining budget. */
  canCharge(step: AccountantStepInput): boolean {
    return this.epsilonAfter(step) <= this.epsilonBudget
  }

  /**
   * Charges `step` (default 1 step) to the budget and persists the ledger before returning.
   * @throws {PrivacyBudgetExceededError} when the step would take ε past the budget (nothing is
   *   recorded)
   * @throws {InvalidArgumentError} on σ < 0, q ∉ (0, 1] or a bad step count
   */
  charge(step: LedgerCharge): Promise<LedgerChargeResult> {
    const run = this._queue.then(() => this._charge(step))
    this._queue = run.catch(() => undefined)
    return run
  }

  private async _charge(step: LedgerCharge): Promise<LedgerChargeResult> {
    const steps = step.steps ?? 1
    checkNoiseMultiplier(step.noiseMultiplier)
    checkSampleRate(step.sampleRate)
    checkSteps(steps)
    const epsilonAfter = this._accountant.epsilonAfter(this.delta, { ...step, steps })
    if (epsilonAfter > this.epsilonBudget) {
      throw new PrivacyBudgetExceededError({
        taskId: this.taskId,
        epsilonSpent: this._epsilonSpent,
        epsilonRequested: epsilonAfter,
        epsilonBudget: this.epsilonBudget,
        delta: this.delta,
      })
    }
    const entry: LedgerEntry = {
      noiseMultiplier: step.noiseMultiplier,
      sampleRate: step.sampleRate,
      steps,
      epsilonAfter,
      chargedAt: new Date().toISOString(),
      ...(step.label === undefined ? {} : { label: step.label }),
    }
    // Persist first: if the write fails, memory still matches the file.
    await this._persist([...this._entries, entry])
    this._entries.push(entry)
    this._accountant.step({ noiseMultiplier: entry.noiseMultiplier, sampleRate: entry.sampleRate, steps })
    this._epsilonSpent = epsilonAfter
    return { epsilonSpent: this._epsilonSpent, epsilonRemaining: this.epsilonRemaining }
  }

  private _load(text: string): void {
    let file: Partial<LedgerFile>
    try {
      file = JSON.parse(text) as Partial<LedgerFile>
    } catch (cause) {
      throw new LedgerStateError(this.path, 'is not valid JSON', { cause })
    }
    if (file.format !== 'fedchain-privacy-ledger' || file.version !== 1 || !Array.isArray(file.entries)) {
      throw new LedgerStateError(this.path, 'is not a version-1 fedchain privacy ledger')
    }
    if (file.taskId !== this.taskId || file.epsilonBudget !== this.epsilonBudget || file.delta !== this.delta) {
      throw new LedgerStateError(
        this.path,
        `was created for task ${String(file.taskId)} with ε budget ${String(file.epsilonBudget)} and δ ${String(file.delta)}, ` +
          `not task ${this.taskId} with ε budget ${this.epsilonBudget} and δ ${this.delta}`,
        { hint: 'open the ledger with the budget it was created with; a task budget cannot change' },
      )
    }
    for (const [index, raw] of file.entries.entries()) {
      const entry = raw as Partial<LedgerEntry>
      if (typeof entry.noiseMultiplier !== 'number' || typeof entry.sampleRate !== 'number' || typeof entry.steps !== 'number') {
        throw new LedgerStateError(this.path, `entry ${index} is malformed`)
      }
      try {
        this._accountant.step({ noiseMultiplier: entry.noiseMultiplier, sampleRate: entry.sampleRate, steps: entry.steps })
      } catch (cause) {
        throw new LedgerStateError(this.path, `entry ${index} is invalid`, { cause })
      }
      this._entries.push({ ...(entry as LedgerEntry) })
    }
    // Recomputed rather than trusted from the file: the history is the source of truth.
    this._epsilonSpent = this._accountant.getEpsilon(this.delta)
  }

  private async _persist(entries: readonly LedgerEntry[]): Promise<void> {
    const file: LedgerFile = {
      format: 'fedchain-privacy-ledger',
      version: 1,
      taskId: this.taskId,
      epsilonBudget: this.epsilonBudget,
      delta: this.delta,
      entries,
    }
    await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`)
  }
}

/** Writes `path` so that readers see either the old or the new content, even across a crash. */
async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    const handle = await open(temporary, 'w', 0o600)
    try {
      await handle.writeFile(content, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
  await syncDirectory(dirname(path))
}

/** fsync the directory so the rename itself survives a power loss (not possible on every OS). */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Best effort: Windows cannot open a directory for fsync; the rename is still atomic there.
  }
}
