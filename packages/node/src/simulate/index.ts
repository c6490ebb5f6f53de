/**
 * `fedchain simulate`: a whole consortium on one machine behind a {@link SimulationCoordinator},
 * producing the `summary.json` of DESIGN.md §5.
 *
 * @example
 * ```ts
 * import { runSimulation } from './index.js'
 * const summary = await runSimulation({ options: { source: { example: 'breast-cancer' }, nodes: 5, rounds: 20 } })
 * summary.final.accuracy // → ≈ 0.97
 * ```
 */
export type { SimulationSummary, RoundSummary, NodeSummary, PhaseTimings } from './summary.js'
export type { NodeKill, SimulationCoordinator, RoundContext, RoundOutcome } from './coordinator.js'
export type { SimulationOptions } from './options.js'
export { runSimulation, type RunSimulationParameters } from './run-simulation.js'
export { memoryCoordinator, type MemoryCoordinatorInit } from './memory-coordinator.js'
export { createSimulatedHospital, type SimulatedHospital, type SimulatedHospitalInit, type HospitalUpdate, type LocalTrainingConfig } from './hospital.js'
export { buildConsortium, simulatedHospitalId, type Consortium, type ConsortiumInit } from './setup.js'
export { loadDatasetSource, loadSchema, defaultModelSpec, examplesDir, EXAMPLE_NAMES, type DatasetSource, type ExampleName, type ModelChoice, type ModelShapeOptions } from './examples.js'
export { protocolCoordinator, ProtocolIntegrityError, type NodeFault, type ProtocolCoordinatorInit } from './protocol-coordinator.js'
export { processCoordinator, type ProcessCoordinatorInit } from './process-coordinator.js'
export { createRoundDecider, type RoundDecider, type RoundDeciderInit, type RoundVerdict } from './round-verdict.js'
export { RUN_FILES, writeChainRecord, type ChainRecord, type RecordedLog, type RecordedTransaction } from './run-record.js'
