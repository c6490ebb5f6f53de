import { randomInt } from 'node:crypto'
import { join } from 'node:path'
import { defaultGaussianNoise, PrivacyBudgetLedger } from '@fedchain/dp'
import type { TaskManifest } from '../config/task-manifest.js'
import { loadCsv } from '../learning/data/csv.js'
import type { Dataset } from '../learning/data/dataset.js'
import { applyStandardizer, fitStandardizer } from '../learning/data/standardize.js'
import type { Network } from '../learning/model/network.js'
import { SeededRandom } from '../learning/random.js'
import { evaluateModel, type Evaluation } from '../learning/train/evaluate.js'
import { createDpSgd, planNoiseMultiplier } from '../learning/train/dp-sgd.js'
import { trainLocal } from '../learning/train/local-train.js'
import { WAD_FLOAT } from './constants.js'

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
  /** Cumulative ε this node spent on the task, when it trains with DP. */
  readonly epsilonSpent?: number
}

/** A hospital's data for one task, standardized with statistics fitted on its own rows only. */
export interface LocalTrainer {
  readonly rows: number
  train(global: Float32Array, round: number): Promise<LocalUpdate>
  evaluate(params: Float32Array): Evaluation
  /** ε spent so far on this task (0 without DP). */
  epsilonSpent(): number
}

/** Directory of the node's privacy ledgers (one file per task). */
export function privacyLedgerDir(dataDir: string): string {
  return join(dataDir, 'privacy')
}

/**
 * Loads the CSV for a task and trains on it with the task's recipe. With a DP budget on the task,
 * training is DP-SGD with a constant noise multiplier planned to spend the budget over all rounds,
 * charged to the persistent @fedchain/dp ledger in the data dir before the update leaves the node;
 * a round that would exceed the budget is refused (PrivacyBudgetExceededError).
 */
export async function createLocalTrainer(init: {
  readonly csvPath: string
  readonly manifest: TaskManifest
  readonly network: Network
  readonly privacy: TaskPrivacy
  readonly dataDir: string
  readonly taskId: bigint
}): Promise<LocalTrainer> {
  const raw: Dataset = await loadCsv(init.csvPath, init.manifest.schema)
  const data = applyStandardizer(raw, fitStandardizer(raw))
  const rows = data.labels.length
  const { training } = init.manifest
  const epsilon = Number(init.privacy.epsilonWad) / WAD_FLOAT
  const delta = Number(init.privacy.deltaWad) / WAD_FLOAT
  const ledger =
    epsilon > 0
      ? await PrivacyBudgetLedger.open({ directory: privacyLedgerDir(init.dataDir), taskId: `task-${init.taskId}`, epsilonBudget: epsilon, delta: delta > 0 ? delta : 1e-5 })
      : undefined

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
      const noiseMultiplier = planNoiseMultiplier({ epsilon: ledger.epsilonBudget, delta: ledger.delta, sampleRate, steps: init.privacy.totalRounds * stepsPerRound })
      const privacy = createDpSgd({
        noiseMultiplier,
        clipNorm: training.clipNorm,
        delta: ledger.delta,
        epsilonBudget: ledger.epsilonBudget,
        noise: defaultGaussianNoise(),
        accountant: ledger.accountant,
        ledger,
      })
      const result = trainLocal({ ...base, privacy })
      const report = result.privacy
      // Charged before the update can leave the node: a crash after this over-counts, never under-counts.
      await ledger.charge({ noiseMultiplier: report?.noiseMultiplier ?? noiseMultiplier, sampleRate, steps: report?.steps ?? stepsPerRound, label: `task ${init.taskId}` })
      return { delta: result.delta, examples: result.examples, meanLoss: result.meanLoss, epsilonSpent: ledger.epsilonSpent }
    },
  }
}
