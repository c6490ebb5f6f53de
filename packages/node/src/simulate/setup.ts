import { createHash } from 'node:crypto'
import { createAttack } from '../aggregation/attacks.js'
import { classCounts, concatDatasets, selectRows, type Dataset } from '../learning/data/dataset.js'
import { partitionIndices, type PartitionScheme } from '../learning/data/partition.js'
import { stratifiedSplit, type DatasetSplit } from '../learning/data/split.js'
import { type Standardizer, applyStandardizer, fitStandardizer, mergeStandardizers } from '../learning/data/standardize.js'
import { requireArgument } from '../learning/errors.js'
import { SeededRandom } from '../learning/random.js'
import type { PrivateStepper } from '../learning/train/dp-sgd.js'
import { createSimulatedHospital, type LocalTrainingConfig, type SimulatedHospital } from './hospital.js'
import type { NodeSummary } from './summary.js'

/** A deterministic address-shaped participant id for simulated hospital `index`. */
export function simulatedHospitalId(seed: number, index: number): string {
  return `0x${createHash('sha256').update(`fedchain-simulate:${seed}:${index}`).digest('hex').slice(0, 40)}`
}

export interface ConsortiumInit {
  readonly dataset: Dataset
  readonly nodes: number
  readonly partition: PartitionScheme
  readonly seed: number
  readonly training: LocalTrainingConfig
  readonly malicious?: { readonly fraction: number; readonly attack: string }
  readonly privacyFor?: (index: number, trainRows: number) => PrivateStepper
  /**
   * `federated`: every hospital fits mean/variance on its own training split, the consortium
   * merges those statistics and all apply the merged scaler. `local`: each applies its own.
   * @default 'federated'
   */
  readonly standardization?: StandardizationMode
}

/** How features are standardized across hospitals. */
export type StandardizationMode = 'federated' | 'local'

/** The hospitals plus the pooled data the baseline and the evaluation use. */
export interface Consortium {
  /** Sorted by id. */
  readonly hospitals: readonly SimulatedHospital[]
  readonly nodes: readonly NodeSummary[]
  /** Every hospital's test split, each standardized with its own training statistics. */
  readonly federatedTest: Dataset
  /** The pooled clean training rows and test rows, standardized with pooled training statistics. */
  readonly centralized: { readonly train: Dataset; readonly test: Dataset }
}

/**
 * Partitions the rows over hospitals, splits each hospital's rows (stratified 70/10/20) and
 * standardizes them with statistics fitted on training splits only (see `standardization`). Malicious hospitals are a
 * seeded random subset of round(fraction × nodes).
 */
export function buildConsortium(init: ConsortiumInit): Consortium {
  const { dataset, nodes, seed } = init
  const random = new SeededRandom(seed)
  const parts = partitionIndices({ dataset, parties: nodes, scheme: init.partition, random: random.fork(1) })
  const splitRandom = random.fork(2)
  const raw: DatasetSplit[] = parts.map((rows) => stratifiedSplit({ dataset: selectRows(dataset, rows), random: splitRandom }))
  let maliciousIndices = new Set<number>()
  if (init.malicious !== undefined) {
    const { fraction } = init.malicious
    requireArgument(fraction >= 0 && fraction < 1, 'malicious fraction', 'in [0, 1)', fraction)
    const count = Math.round(fraction * nodes)
    maliciousIndices = new Set(random.fork(3).shuffle(Array.from({ length: nodes }, (_, i) => i)).slice(0, count))
  }
  const trainingRandom = random.fork(4)
  const localScalers = raw.map((split) => fitStandardizer(split.train))
  const merged = mergeStandardizers(localScalers)
  const hospitals = raw.map((split, index) => {
    const scaler = (init.standardization ?? 'federated') === 'federated' ? merged : (localScalers[index] as Standardizer)
    const attack = maliciousIndices.has(index) && init.malicious !== undefined ? createAttack(init.malicious.attack) : undefined
    return createSimulatedHospital({
      id: simulatedHospitalId(seed, index),
      index,
      train: applyStandardizer(split.train, scaler),
      validation: applyStandardizer(split.validation, scaler),
      test: applyStandardizer(split.test, scaler),
      training: init.training,
      random: trainingRandom.fork(index),
      ...(attack === undefined ? {} : { attack }),
      ...(init.privacyFor === undefined ? {} : { privacy: init.privacyFor(index, split.train.labels.length) }),
    })
  })
  const pooledTrain = concatDatasets(raw.map((s) => s.train))
  const pooledScaler = fitStandardizer(pooledTrain)
  const nodesSummary: NodeSummary[] = hospitals.map((h, i) => ({
    id: h.id,
    index: i,
    trainExamples: h.train.labels.length,
    testExamples: h.test.labels.length,
    classCounts: classCounts((raw[i] as DatasetSplit).train),
    malicious: h.attack !== undefined,
  }))
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  return {
    hospitals: [...hospitals].sort(byId),
    nodes: nodesSummary.sort(byId),
    federatedTest: concatDatasets(hospitals.map((h) => h.test)),
    centralized: {
      train: applyStandardizer(pooledTrain, pooledScaler),
      test: applyStandardizer(concatDatasets(raw.map((s) => s.test)), pooledScaler),
    },
  }
}
