import { ATTACK_NAMES } from '../../aggregation/attacks.js'
import { STRATEGY_NAMES } from '../../aggregation/registry.js'
import { parsePartitionScheme } from '../../learning/data/partition.js'
import { LearningError } from '../../learning/errors.js'
import { EXAMPLE_NAMES, type DatasetSource, type ExampleName, type ModelChoice, type ModelShapeOptions } from '../../simulate/examples.js'
import type { SimulationOptions } from '../../simulate/options.js'

/** Raw commander values of `fedchain simulate`. */
export interface SimulateFlags {
  readonly coordinator: string
  /** `on` (default) or `off`: relay signed commitments and shares in batches. */
  readonly relay?: string
  /** Run each node as its own OS process against a `fedchain chain start` child (implies the protocol). */
  readonly processes?: boolean
  /** Whether `--relay` was given on the command line (not its default); it conflicts with `--processes`. */
  readonly relayGiven?: boolean
  /** `<node>@<round>` entries: kill a node after it commits in that round and restart it. */
  readonly kill?: readonly string[]
  readonly example?: string
  readonly data?: string
  readonly schema?: string
  readonly model?: string
  readonly hidden: string
  readonly activation: string
  readonly filters: string
  readonly nodes: string
  readonly rounds: string
  readonly localEpochs: string
  readonly batchSize: string
  readonly learningRate?: string
  readonly optimizer: string
  readonly proximalMu: string
  readonly partition: string
  readonly standardization: string
  readonly dp: string
  readonly delta: string
  readonly clipNorm: string
  readonly clipQuantile: string
  readonly strategy: string
  readonly malicious?: string
  readonly verify?: string
  readonly minReputation: string
  readonly krum?: string
  readonly byzantine?: string
  readonly seed: string
  readonly out?: string
}

function bad(flag: string, expected: string, got: unknown): LearningError {
  return new LearningError('LEARNING_INVALID_ARGUMENT', `${flag} must be ${expected}; got '${String(got)}'`, { hint: `fix ${flag}, see fedchain simulate --help` })
}

function integer(flag: string, text: string, min: number): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < min) throw bad(flag, `an integer ≥ ${min}`, text)
  return n
}

function unitInterval(flag: string, text: string): number {
  const n = Number(text)
  if (!(n >= 0 && n <= 1)) throw bad(flag, 'in [0, 1]', text)
  return n
}

/** A Byzantine share Krum can tolerate: it needs more honest updates than Byzantine ones. */
function byzantineShare(flag: string, text: string): number {
  const n = Number(text)
  if (!(n >= 0 && n < 0.5)) throw bad(flag, 'in [0, 0.5)', text)
  return n
}

function modelShape(flags: SimulateFlags): ModelShapeOptions {
  const hidden = flags.hidden.split(',').map((w) => integer('--hidden', w.trim(), 1))
  if (flags.activation !== 'relu' && flags.activation !== 'tanh' && flags.activation !== 'sigmoid') {
    throw bad('--activation', 'relu, tanh or sigmoid', flags.activation)
  }
  return { hidden, activation: flags.activation, filters: integer('--filters', flags.filters, 1) }
}

function nonNegative(flag: string, text: string): number {
  const n = Number(text)
  if (!(n >= 0) || !Number.isFinite(n)) throw bad(flag, 'a number ≥ 0', text)
  return n
}

function optimizerOption(flags: SimulateFlags): Pick<SimulationOptions, 'optimizer'> {
  if (flags.optimizer !== 'sgd' && flags.optimizer !== 'adam') throw bad('--optimizer', 'sgd or adam', flags.optimizer)
  if (flags.learningRate === undefined) {
    return flags.optimizer === 'adam' ? { optimizer: { kind: 'adam', learningRate: 0.01 } } : {}
  }
  return { optimizer: { kind: flags.optimizer, learningRate: positive('--learning-rate', flags.learningRate) } }
}

function positive(flag: string, text: string): number {
  const n = Number(text)
  if (!Number.isFinite(n) || n <= 0) throw bad(flag, 'a positive number', text)
  return n
}

/**
 * Turns command-line strings into {@link SimulationOptions}.
 * @throws {LearningError} `LEARNING_INVALID_ARGUMENT` naming the flag
 */
export function parseSimulateFlags(flags: SimulateFlags): {
  options: SimulationOptions
  coordinator: 'memory' | 'protocol'
  kills: readonly { node: number; round: number; down: boolean }[]
  out: string | undefined
} {
  if (flags.coordinator !== 'memory' && flags.coordinator !== 'protocol') throw bad('--coordinator', 'memory or protocol', flags.coordinator)
  const kills = (flags.kill ?? []).map((text) => {
    const match = /^(\d+)@(\d+)(:down)?$/.exec(text)
    if (match === null) throw bad('--kill', '<node index>@<round>[:down], e.g. 1@3', text)
    return { node: Number(match[1]), round: Number(match[2]), down: match[3] !== undefined }
  })
  if (flags.relay !== undefined && flags.relay !== 'on' && flags.relay !== 'off') throw bad('--relay', 'on or off', flags.relay)
  if (flags.processes === true) {
    // The daemons send their own transactions and restart only when their operator restarts them.
    if (flags.coordinator !== 'protocol') throw bad('--coordinator', 'protocol (or omitted) with --processes', flags.coordinator)
    if (flags.relayGiven === true) throw bad('--relay', 'omitted with --processes (each node sends its own transactions)', flags.relay)
    // Only poisoned rows reach a daemon (through its CSV); update attacks happen inside the
    // in-process hospitals, so the daemons would train honestly under an "attacker" label.
    if (flags.malicious !== undefined && !/^[0-9.]+:label-?flip$/.test(flags.malicious)) {
      throw bad('--malicious', '<fraction>:label-flip with --processes (the daemons train on their CSV; update attacks need the in-process coordinator)', flags.malicious)
    }
  }
  if (kills.length > 0 && flags.coordinator !== 'protocol') throw bad('--kill', 'used with --coordinator protocol', flags.kill?.join(' '))
  let source: DatasetSource
  if (flags.data !== undefined || flags.schema !== undefined) {
    if (flags.data === undefined || flags.schema === undefined) throw bad('--data/--schema', 'given together', flags.data ?? flags.schema)
    if (flags.example !== undefined) throw bad('--example', 'omitted when --data is given', flags.example)
    source = { data: flags.data, schema: flags.schema }
  } else {
    const example = flags.example ?? 'breast-cancer'
    if (!(EXAMPLE_NAMES as readonly string[]).includes(example)) throw bad('--example', EXAMPLE_NAMES.join(' or '), example)
    source = { example: example as ExampleName }
  }
  if (flags.model !== undefined && !['logistic-regression', 'mlp', 'cnn'].includes(flags.model)) throw bad('--model', 'logistic-regression, mlp or cnn', flags.model)
  if (!(STRATEGY_NAMES as readonly string[]).includes(flags.strategy)) throw bad('--strategy', `one of ${STRATEGY_NAMES.join(', ')}`, flags.strategy)
  let dp: SimulationOptions['dp']
  if (flags.dp !== 'off') {
    const delta = Number(flags.delta)
    if (!(delta > 0 && delta < 1)) throw bad('--delta', 'in (0, 1)', flags.delta)
    dp = { epsilon: positive('--dp', flags.dp), delta }
  }
  let malicious: SimulationOptions['malicious']
  if (flags.malicious !== undefined) {
    const match = /^([0-9.]+):([a-z-]+)$/.exec(flags.malicious)
    const fraction = match ? Number(match[1]) : Number.NaN
    // `signflip` and `sign-flip` name the same attack.
    const attack = ATTACK_NAMES.find((name) => name.replaceAll('-', '') === match?.[2]?.replaceAll('-', ''))
    if (match === null || !(fraction >= 0 && fraction < 1) || attack === undefined) {
      throw bad('--malicious', `<fraction in [0,1)>:<${ATTACK_NAMES.join('|')}>`, flags.malicious)
    }
    malicious = { fraction, attack }
  }
  if (flags.standardization !== 'federated' && flags.standardization !== 'local') throw bad('--standardization', 'federated or local', flags.standardization)
  const quantile = Number(flags.clipQuantile)
  if (flags.clipQuantile !== 'off' && !(quantile > 0 && quantile < 1)) throw bad('--clip-quantile', 'in (0, 1) or off', flags.clipQuantile)
  if (flags.verify !== undefined && flags.verify !== 'on' && flags.verify !== 'off') throw bad('--verify', 'on or off', flags.verify)
  const options: SimulationOptions = {
    source,
    nodes: integer('--nodes', flags.nodes, 1),
    rounds: integer('--rounds', flags.rounds, 1),
    localEpochs: integer('--local-epochs', flags.localEpochs, 1),
    batchSize: integer('--batch-size', flags.batchSize, 1),
    partition: parsePartitionScheme(flags.partition),
    standardization: flags.standardization,
    strategy: flags.strategy,
    seed: integer('--seed', flags.seed, 0),
    clipNorm: positive('--clip-norm', flags.clipNorm),
    minReputation: unitInterval('--min-reputation', flags.minReputation),
    ...(flags.clipQuantile === 'off' ? { adaptiveClipping: false } : { clipQuantile: quantile }),
    ...optimizerOption(flags),
    proximalMu: nonNegative('--proximal-mu', flags.proximalMu),
    ...(flags.model === undefined ? {} : { model: flags.model as ModelChoice }),
    modelShape: modelShape(flags),
    ...(dp === undefined ? {} : { dp }),
    ...(malicious === undefined ? {} : { malicious }),
    ...(flags.byzantine === undefined ? {} : { byzantineFraction: byzantineShare('--byzantine', flags.byzantine) }),
    ...(flags.verify === undefined ? {} : { verify: flags.verify === 'on' }),
    ...(flags.krum === undefined ? {} : { verification: { byzantine: integer('--krum', flags.krum, 0) } }),
  }
  for (const kill of kills) {
    if (kill.node >= (options.nodes ?? 5)) throw bad('--kill', `a node index below --nodes (${options.nodes ?? 5})`, `${kill.node}@${kill.round}`)
    if (kill.round < 1 || kill.round > (options.rounds ?? 20)) throw bad('--kill', `a round in 1..${options.rounds ?? 20}`, `${kill.node}@${kill.round}`)
  }
  return { options, coordinator: flags.coordinator, kills, out: flags.out }
}
