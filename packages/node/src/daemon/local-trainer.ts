import { randomInt } from 'node:crypto'
import { join } from 'node:path'
import { defaultGaussianNoise, InvalidArgumentError, MAX_NOISE_MULTIPLIER, PrivacyBudgetExceededError, PrivacyBudgetLedger, rdpEpsilon } from '@fedchain/dp'
import type { TaskManifest } from '../config/task-manifest.js'
import { loadLocalCsv } from '../config/init-node.js'
import type { Dataset } from '../learning/data/dataset.js'
import { applyStandardizer, fitStandardizer, standardizerOf } from '../learning/data/standardize.js'
import type { Network } from '../learning/model/network.js'
import { SeededRandom } from '../learning/random.js'
import { evaluateModel, type Evaluation } from '../learning/train/evaluate.js'
import { createDpSgd, planNoiseMultiplier } from '../learning/train/dp-sgd.js'
import { trainLocal } from '../learning/train/local-train.js'
import type { PrivacyCharge } from '../round/state-store.js'
import { WAD_FLOAT } from './constants.js'
import { PrivacyTargetUnreachableError } from './errors.js'

/** A task's DP budget as the chain records it (WAD fixed point); zero ε means no DP. */
export interface TaskPrivacy {
  readonly epsilonWad: bigint
  readonly deltaWad: bigint
  readonly totalRounds: number
}

/** One round's local update. */
export interface LocalUpdate {
  readonly delta: Float32Array
  readonly examples: number
  readonly meanLoss: number
  /**
   * With DP: what releasing this update costs. Nothing is charged yet: pass it to
   * {@link LocalTrainer.chargeRelease} before the update leaves the node.
   */
  readonly privacyCharge?: PrivacyCharge
  /** With DP: the ε this node will have spent on the task once this update is released. */
  readonly epsilonAfterRelease?: number
}

/** A hospital's data for one task, standardized with the task's scaling (or, without one, statistics fitted on its own rows). */
export interface LocalTrainer {
  readonly rows: number
  /**
   * Trains one round's update. With DP the run is refused when releasing it would exceed the
   * budget, but the ledger is not charged: an update that never leaves the node spends nothing.
   * @throws {PrivacyBudgetExceededError} the budget cannot take another round
   * @throws {PrivacyTargetUnreachableError} no noise multiplier meets the task's ε on this node's rows
   */
  train(global: Float32Array, round: number): Promise<LocalUpdate>
  /**
   * Charges the ledger for releasing `round`'s update; call it before the update (in any form)
   * leaves the node. Idempotent per round, so a node restarted between this charge and the share
   * charges once: the ledger is written (atomically) before the release, so a crash can only
   * over-count, never under-count.
   * @throws {PrivacyBudgetExceededError} when the budget cannot take it (nothing is recorded)
   */
  chargeRelease(round: number, charge: PrivacyCharge): Promise<void>
  evaluate(params: Float32Array): Evaluation
  /** ε spent so far on this task: the rounds whose update was released (0 without DP). */
  epsilonSpent(): number
}

/** Directory of the node's privacy ledgers (one file per task). */
export function privacyLedgerDir(dataDir: string): string {
  return join(dataDir, 'privacy')
}

/** The ledger label of `round`'s release, which makes {@link LocalTrainer.chargeRelease} idempotent. */
export function releaseLabel(taskId: bigint, round: number): string {
  return `task ${taskId} round ${round}`
}

/**
 * A hospital's rows as the task's model sees them: scaled with the task's standardization when
 * its manifest sets one (the same for every hospital), else with statistics of these rows alone.
 */
export function standardizeForTask(raw: Dataset, manifest: TaskManifest): Dataset {
  const { standardization } = manifest
  return applyStandardizer(raw, standardization === undefined ? fitStandardizer(raw) : standardizerOf(standardization))
}

/**
 * Loads the CSV for a task and trains on it with the task's recipe. With a DP budget on the task,
 * training is DP-SGD with a constant noise multiplier planned to spend the budget over all rounds.
 * The persistent @fedchain/dp ledger in the data dir is charged only for released updates
 * ({@link LocalTrainer.chargeRelease}, called before a share): a round that aborts before this node
 * shared costs nothing, so a task that lost rounds can still finish. A round that would exceed the
 * budget is refused (PrivacyBudgetExceededError).
 */
export async function createLocalTrainer(init: {
  readonly csvPath: string
  readonly manifest: TaskManifest
  readonly network: Network
  readonly privacy: TaskPrivacy
  readonly dataDir: string
  readonly taskId: bigint
}): Promise<LocalTrainer> {
  const raw: Dataset = await loadLocalCsv(init.csvPath, init.manifest.schema)
  const data = standardizeForTask(raw, init.manifest)
  const rows = data.labels.length
  const { training } = init.manifest
  const epsilon = Number(init.privacy.epsilonWad) / WAD_FLOAT
  const delta = Number(init.privacy.deltaWad) / WAD_FLOAT
  const ledger =
    epsilon > 0
      ? await PrivacyBudgetLedger.open({ directory: privacyLedgerDir(init.dataDir), taskId: `task-${init.taskId}`, epsilonBudget: epsilon, delta: delta > 0 ? delta : 1e-5 })
      : undefined

  // The plan depends only on the budget, the rows and the recipe, all fixed for the task: made once.
  let plan: { readonly noiseMultiplier: number } | PrivacyTargetUnreachableError | undefined
  const plannedNoiseMultiplier = (budget: PrivacyBudgetLedger, sampleRate: number, batch: number, stepsPerRound: number): number => {
    if (plan === undefined) {
      const steps = init.privacy.totalRounds * stepsPerRound
      try {
        plan = { noiseMultiplier: planNoiseMultiplier({ epsilon: budget.epsilonBudget, delta: budget.delta, sampleRate, steps }) }
      } catch (error) {
        if (!(error instanceof InvalidArgumentError && error.argument === 'targetEpsilon')) throw error
        const reachable = rdpEpsilon({ noiseMultiplier: MAX_NOISE_MULTIPLIER, sampleRate, steps, delta: budget.delta }).epsilon
        plan = new PrivacyTargetUnreachableError(
          `task ${init.taskId}: its DP budget ε = ${budget.epsilonBudget} (δ = ${budget.delta}) is unreachable on this node: ` +
            `${steps} DP-SGD steps (${init.privacy.totalRounds} rounds × ${training.epochs} epoch${training.epochs === 1 ? '' : 's'} of batches of ${batch} from ${rows} rows) ` +
            `spend ε = ${reachable.toFixed(4)} even at noise multiplier ${MAX_NOISE_MULTIPLIER}`,
          {
            details: { taskId: init.taskId.toString(), epsilonBudget: budget.epsilonBudget, delta: budget.delta, steps, sampleRate, rows, epsilonAtMaxNoise: reachable },
            hint: 'this node sits out the task’s rounds; the task owner must create a new task with a larger --dp-epsilon or --dp-delta, or fewer --rounds or --epochs',
          },
        )
      }
    }
    if (plan instanceof PrivacyTargetUnreachableError) throw plan
    return plan.noiseMultiplier
  }

  return {
    rows,
    epsilonSpent: () => ledger?.epsilonSpent ?? 0,
    evaluate: (params) => evaluateModel(init.network, params, data),
    async train(global) {
      // Shuffling needs no reproducibility across nodes; a fresh seed per round.
      const random = new SeededRandom(randomInt(2 ** 31))
      const base = { network: init.network, global, data, random, epochs: training.epochs, batchSize: training.batchSize, optimizer: { kind: 'sgd' as const, learningRate: training.learningRate } }
      if (ledger === undefined) {
        const result = trainLocal(base)
        return { delta: result.delta, examples: result.examples, meanLoss: result.meanLoss }
      }
      const batch = Math.min(training.batchSize, rows)
      const sampleRate = batch / rows
      const stepsPerRound = training.epochs * Math.max(1, Math.round(1 / sampleRate))
      const noiseMultiplier = plannedNoiseMultiplier(ledger, sampleRate, batch, stepsPerRound)
      const privacy = createDpSgd({
        noiseMultiplier,
        clipNorm: training.clipNorm,
        delta: ledger.delta,
        epsilonBudget: ledger.epsilonBudget,
        noise: defaultGaussianNoise(),
        accountant: ledger.accountant,
        ledger,
        taskId: init.taskId.toString(),
      })
      const result = trainLocal({ ...base, privacy })
      const report = result.privacy
      const privacyCharge: PrivacyCharge = { noiseMultiplier: report?.noiseMultiplier ?? noiseMultiplier, sampleRate: report?.sampleRate ?? sampleRate, steps: report?.steps ?? stepsPerRound }
      return { delta: result.delta, examples: result.examples, meanLoss: result.meanLoss, privacyCharge, epsilonAfterRelease: ledger.epsilonAfter(privacyCharge) }
    },
    async chargeRelease(round, charge) {
      if (ledger === undefined) return
      const label = releaseLabel(init.taskId, round)
      if (ledger.entries.some((entry) => entry.label === label)) return
      if (!ledger.canCharge(charge)) {
        // Refused here rather than by the ledger, whose error names its file key (task-<id>).
        throw new PrivacyBudgetExceededError({ taskId: init.taskId.toString(), epsilonSpent: ledger.epsilonSpent, epsilonRequested: ledger.epsilonAfter(charge), epsilonBudget: ledger.epsilonBudget, delta: ledger.delta })
      }
      await ledger.charge({ ...charge, label })
    },
  }
}
