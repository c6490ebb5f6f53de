/**
 * The learning core: tfjs backend selection, datasets, models as parameter lists with pure forward
 * functions, local training with FedProx and DP-SGD.
 *
 * @example
 * ```ts
 * import { ensureBackend, buildNetwork, initParams, trainLocal, SeededRandom } from './index.js'
 * await ensureBackend()
 * const network = buildNetwork({ kind: 'mlp', inputs: 30, hidden: [32], classes: 2 })
 * const random = new SeededRandom(1)
 * const { delta } = trainLocal({ network, global: initParams(network, random), data, random })
 * ```
 */
export { selectBackend, probeBackend, backendOverride, BACKEND_NAMES, type BackendName, type BackendProbe, type BackendSelection } from './backend.js'
export { ensureBackend, scoped } from './tf.js'
export { LearningError, DatasetError, ModelError, type LearningErrorCode } from './errors.js'
export { SeededRandom } from './random.js'
export { parseDatasetSchema, type DatasetSchema, type TaskType, type ImageShape } from './data/schema.js'
export { parseCsv, loadCsv, type ParseCsvParameters } from './data/csv.js'
export { selectRows, concatDatasets, classCounts, datasetSize, type Dataset } from './data/dataset.js'
export { stratifiedSplit, type DatasetSplit, type StratifiedSplitParameters } from './data/split.js'
export { fitStandardizer, mergeStandardizers, applyStandardizer, standardizerOf, type Standardizer } from './data/standardize.js'
export { partitionIndices, parsePartitionScheme, type PartitionScheme, type PartitionParameters } from './data/partition.js'
export { modelSpecHash, validateModelSpec, MODEL_KINDS, type ModelSpec, type Activation } from './model/spec.js'
export { buildNetwork, initParams, forward, predictProbabilities, type Network, type ParamSlot, type Batch } from './model/network.js'
export { serializeParams, deserializeParams, MODEL_BLOB_VERSION, type ModelBlobHeader } from './model/serialize.js'
export { createOptimizer, type Optimizer, type OptimizerConfig } from './train/optimizer.js'
export { evaluateModel, rocAuc, type Evaluation } from './train/evaluate.js'
export { trainLocal, meanGradient, gatherBatch, type LocalTrainingParameters, type LocalTrainingResult } from './train/local-train.js'
export {
  perExampleGradientNorms,
  perExampleGradientNormsNaive,
  clippedGradientSum,
  clippedGradientSumNaive,
} from './train/per-example.js'
export { createDpSgd, planNoiseMultiplier, type DpSgdInit, type PrivateStepper, type PrivateStepResult, type PrivateTrainingReport } from './train/dp-sgd.js'
