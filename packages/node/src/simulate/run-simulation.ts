import { createHash } from 'node:crypto'
import { createStrategy, DEFAULT_BYZANTINE_FRACTION } from '../aggregation/registry.js'
import { buildNetwork, initParams } from '../learning/model/network.js'
import { serializeParams } from '../learning/model/serialize.js'
import { SeededRandom } from '../learning/random.js'
import { evaluateModel } from '../learning/train/evaluate.js'
import { trainLocal } from '../learning/train/local-train.js'
import type { OptimizerConfig } from '../learning/train/optimizer.js'
import { requireArgument } from '../learning/errors.js'
import { ensureBackend } from '../learning/tf.js'
import type { SimulationCoordinator } from './coordinator.js'
import { defaultModelSpec, loadDatasetSource } from './examples.js'
import { memoryCoordinator } from './memory-coordinator.js'
import type { SimulationOptions } from './options.js'
import { createPrivacyFactory } from './privacy.js'
import { buildConsortium } from './setup.js'
import type { RoundSummary, SimulationSummary } from './summary.js'

export interface RunSimulationParameters {
  readonly options: SimulationOptions
  /** @default the in-memory coordinator */
  readonly coordinator?: SimulationCoordinator
  /** Called after each round, e.g. to draw progress. */
  readonly onRound?: (round: RoundSummary, total: number) => void
  /** Called before the rounds start, after the baseline. */
  readonly onStart?: (info: { readonly backend: string; readonly baselineAccuracy: number }) => void
  readonly signal?: AbortSignal
}

/**
 * Runs a whole consortium on this machine and returns the summary (DESIGN.md §5).
 * @throws {DatasetError} for bad data, {@link LearningError} for bad options
 */
export async function runSimulation({ options, coordinator = memoryCoordinator({
    ...(options.verification === undefined ? {} : { policy: options.verification }),
    ...(options.minReputation === undefined ? {} : { minReputation: options.minReputation }),
  }), onRound, onStart, signal }: RunSimulationParameters): Promise<SimulationSummary> {
  const wallStarted = performance.now()
  const backend = await ensureBackend()
  const nodes = options.nodes ?? 5
  const rounds = options.rounds ?? 20
  const localEpochs = options.localEpochs ?? 1
  const seed = options.seed ?? 1
  const partition = options.partition ?? { kind: 'dirichlet', alpha: 0.5 }
  const batchSize = options.batchSize ?? 16
  const strategyName = options.strategy ?? 'fedavg'
  const verify = options.verify ?? options.malicious !== undefined
  requireArgument(Number.isInteger(nodes) && nodes >= 1, '--nodes', 'a positive integer', nodes)
  requireArgument(Number.isInteger(rounds) && rounds >= 1, '--rounds', 'a positive integer', rounds)
  requireArgument(Number.isInteger(localEpochs) && localEpochs >= 1, '--local-epochs', 'a positive integer', localEpochs)
  const optimizer: OptimizerConfig = options.optimizer ?? { kind: 'sgd', learningRate: options.dp === undefined ? 0.1 : 0.5 }
  const { name, schema, dataset } = await loadDatasetSource(options.source)
  const spec = defaultModelSpec(schema, options.model, options.modelShape)
  const network = buildNetwork(spec)
  const training = { epochs: localEpochs, batchSize, optimizer, proximalMu: options.proximalMu ?? 0 }
  const privacyFor =
    options.dp === undefined
      ? undefined
      : createPrivacyFactory({
          epsilon: options.dp.epsilon,
          delta: options.dp.delta,
          rounds,
          localEpochs,
          batchSize,
          clipNorm: options.clipNorm ?? 1,
          adaptiveClipping: options.adaptiveClipping ?? true,
          clipQuantile: options.clipQuantile ?? 0.9,
          seed,
        })
  const consortium = buildConsortium({
    dataset,
    nodes,
    partition,
    seed,
    training,
    ...(options.malicious === undefined ? {} : { malicious: options.malicious }),
    ...(privacyFor === undefined ? {} : { privacyFor }),
    standardization: options.standardization ?? 'federated',
  })
  const random = new SeededRandom(seed ^ 0x5eed)
  const initial = initParams(network, random)

  // Centralized baseline: same model, same epoch budget, pooled clean training data, no DP (and
  // so the non-DP learning rate).
  const baselineStarted = performance.now()
  const baselineOptimizer: OptimizerConfig = options.optimizer ?? { kind: 'sgd', learningRate: 0.1 }
  const central = trainLocal({ network, global: initial, data: consortium.centralized.train, epochs: rounds * localEpochs, batchSize, optimizer: baselineOptimizer, random: random.fork(1) })
  const baselineEval = evaluateModel(network, central.params, consortium.centralized.test)
  const baselineMs = performance.now() - baselineStarted
  onStart?.({ backend: backend.name, baselineAccuracy: baselineEval.accuracy })

  const byzantineFraction = options.byzantineFraction ?? options.malicious?.fraction ?? DEFAULT_BYZANTINE_FRACTION
  const strategy = createStrategy({ name: strategyName, participants: nodes, byzantineFraction })
  strategy.initialize?.(initial)
  await coordinator.start?.({ network, hospitals: consortium.hospitals, global: initial })
  const malicious = new Set(consortium.nodes.filter((n) => n.malicious).map((n) => n.id))
  const attackCounts = { submittedMalicious: 0, rejectedMalicious: 0, submittedHonest: 0, rejectedHonest: 0 }
  const summaries: RoundSummary[] = []
  let global = initial
  let trainMs = 0
  let roundsMs = 0
  let modelCid: string | null = null
  try {
    for (let round = 1; round <= rounds; round++) {
      signal?.throwIfAborted()
      const started = performance.now()
      const outcome = await coordinator.runRound({ round, rounds, network, global, hospitals: consortium.hospitals, strategy, verify, ...(signal === undefined ? {} : { signal }) })
      roundsMs += performance.now() - started
      trainMs += outcome.ms.train
      global = outcome.global
      modelCid = outcome.modelCid
      const evaluation = evaluateModel(network, global, consortium.federatedTest)
      const rejectedIds = outcome.rejected.map((r) => r.id)
      for (const id of [...outcome.accepted, ...rejectedIds]) {
        if (malicious.has(id)) attackCounts.submittedMalicious++
        else attackCounts.submittedHonest++
      }
      for (const id of rejectedIds) {
        if (malicious.has(id)) attackCounts.rejectedMalicious++
        else attackCounts.rejectedHonest++
      }
      const summary: RoundSummary = {
        round,
        accuracy: evaluation.accuracy,
        loss: evaluation.loss,
        auc: evaluation.auc,
        accepted: outcome.accepted,
        rejected: rejectedIds,
        rejections: Object.fromEntries(outcome.rejected.map((r) => [r.id, r.reason])),
        epsilon: outcome.epsilon,
        ...(outcome.reputation === undefined ? {} : { reputation: outcome.reputation }),
        ...(outcome.rewards === undefined ? {} : { rewards: outcome.rewards }),
        ...(outcome.committee === undefined ? {} : { committee: outcome.committee }),
        ...(outcome.faults === undefined || outcome.faults.length === 0 ? {} : { faults: outcome.faults }),
        gasUsed: outcome.gasUsed,
        finalizeTx: outcome.finalizeTx,
        ms: outcome.ms,
      }
      summaries.push(summary)
      onRound?.(summary, rounds)
    }
  } finally {
    await coordinator.stop?.()
  }
  const last = summaries.at(-1) as RoundSummary
  const epsilons = summaries.flatMap((r) => Object.values(r.epsilon))
  const gasTotal = summaries.reduce((g, r) => g + r.gasUsed, 0)
  const participantRounds = summaries.reduce((n, r) => n + r.accepted.length + r.rejected.length, 0)
  return {
    config: {
      coordinator: coordinator.name,
      dataset: name,
      source: options.source,
      model: spec,
      nodes,
      rounds,
      localEpochs,
      batchSize,
      optimizer,
      proximalMu: training.proximalMu,
      partition,
      dp: options.dp === undefined ? 'off' : { ...options.dp, clipNorm: options.clipNorm ?? 1, adaptiveClipping: options.adaptiveClipping ?? true, clipQuantile: options.clipQuantile ?? 0.9 },
      strategy: strategy.name,
      byzantineFraction,
      verify,
      malicious: options.malicious ?? null,
      seed,
      backend: backend.name,
      backendReason: backend.reason,
      standardization: options.standardization ?? 'federated',
    },
    nodes: consortium.nodes,
    baseline: { centralizedAccuracy: baselineEval.accuracy, centralizedLoss: baselineEval.loss, centralizedAuc: baselineEval.auc },
    rounds: summaries,
    final: {
      accuracy: last.accuracy,
      loss: last.loss,
      auc: last.auc,
      epsilonMax: epsilons.length === 0 ? null : Math.max(...epsilons),
      delta: options.dp?.delta ?? null,
      modelCid,
      modelSha256: createHash('sha256').update(serializeParams(network, global)).digest('hex'),
    },
    gas: { total: gasTotal, perParticipantRound: participantRounds === 0 ? 0 : gasTotal / participantRounds },
    timing: { trainMs, coordinationMs: roundsMs - trainMs, baselineMs, wallMs: performance.now() - wallStarted },
    attack: {
      attack: options.malicious?.attack ?? null,
      maliciousNodes: [...malicious].sort(),
      ...attackCounts,
    },
  }
}
