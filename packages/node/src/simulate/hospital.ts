import type { Attack } from '../aggregation/attacks.js'
import type { Dataset } from '../learning/data/dataset.js'
import type { Network } from '../learning/model/network.js'
import type { SeededRandom } from '../learning/random.js'
import type { PrivateStepper } from '../learning/train/dp-sgd.js'
import { trainLocal } from '../learning/train/local-train.js'
import type { OptimizerConfig } from '../learning/train/optimizer.js'

/** Local training hyper-parameters shared by every simulated hospital. */
export interface LocalTrainingConfig {
  readonly epochs: number
  readonly batchSize: number
  readonly optimizer: OptimizerConfig
  readonly proximalMu: number
}

/** What a hospital sends for a round. */
export interface HospitalUpdate {
  readonly delta: Float32Array
  readonly examples: number
  /** ε spent so far (all rounds); undefined without DP. */
  readonly epsilon?: number
  readonly trainMs: number
}

/** One hospital of a simulation: its locally standardized splits and, if malicious, its attack. */
export interface SimulatedHospital {
  readonly id: string
  readonly index: number
  /** Training rows as the hospital trains on them (poisoned for label flipping). */
  readonly train: Dataset
  readonly validation: Dataset
  readonly test: Dataset
  readonly attack: Attack | undefined
  /** Trains from `global` and returns the update it submits (corrupted when malicious). */
  localUpdate(network: Network, global: Float32Array): HospitalUpdate
}

export interface SimulatedHospitalInit {
  readonly id: string
  readonly index: number
  readonly train: Dataset
  readonly validation: Dataset
  readonly test: Dataset
  readonly training: LocalTrainingConfig
  readonly random: SeededRandom
  readonly attack?: Attack
  readonly privacy?: PrivateStepper
}

/** A hospital that trains in this process. */
export function createSimulatedHospital(init: SimulatedHospitalInit): SimulatedHospital {
  const train = init.attack === undefined ? init.train : init.attack.poisonData(init.train)
  return {
    id: init.id,
    index: init.index,
    train,
    validation: init.validation,
    test: init.test,
    attack: init.attack,
    localUpdate(network, global) {
      const started = performance.now()
      const result = trainLocal({
        network,
        global,
        data: train,
        epochs: init.training.epochs,
        batchSize: init.training.batchSize,
        optimizer: init.training.optimizer,
        proximalMu: init.training.proximalMu,
        random: init.random,
        ...(init.privacy === undefined ? {} : { privacy: init.privacy }),
      })
      const delta = init.attack === undefined ? result.delta : init.attack.corruptUpdate(result.delta, init.random)
      return {
        delta,
        examples: result.examples,
        ...(result.privacy === undefined ? {} : { epsilon: result.privacy.epsilon }),
        trainMs: performance.now() - started,
      }
    },
  }
}
