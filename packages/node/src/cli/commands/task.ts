import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { connectRpc } from '../../chain/provider.js'
import { collect, parsePositiveInt, parsePositiveNumber, parseTaskId, parseTokenAmount, parseX25519PublicKey, resolveChainTarget, walletFromEnv } from '../../config/cli-arguments.js'
import { invalidArgument } from '../../config/errors.js'
import { checkOutputDirectory } from '../../config/output-dir.js'
import { checkPrivacyTarget, createTask, launchRound } from '../../daemon/task-admin.js'
import { checkValidationCsv } from '../../daemon/validation-set.js'
import { parseStandardization } from './standardization-flag.js'
import type { DatasetSchema } from '../../learning/data/schema.js'
import type { ModelSpec } from '../../learning/model/spec.js'
import { defaultModelSpec, EXAMPLE_NAMES, examplesDir, loadSchema, type ModelChoice } from '../../simulate/examples.js'
import { blobStorePath, createFsBlobStore } from '../../storage/index.js'
import { checkEscrow, checkSender, describeSendError } from '../chain-checks.js'
import { printJson } from '../output.js'

interface TaskCreateOptions {
  readonly rpc?: string
  readonly contract?: string
  readonly chain?: string
  readonly keyEnv: string
  readonly model: string
  readonly schema?: string
  readonly rounds: string
  readonly reward: string
  readonly committeeSize: string
  readonly minParticipants: string
  readonly dpEpsilon?: string
  readonly dpDelta: string
  readonly commitSeconds: string
  readonly shareSeconds: string
  readonly verifySeconds: string
  readonly epochs: string
  readonly batchSize: string
  readonly learningRate: string
  readonly clipNorm: string
  readonly seed?: string
  readonly auditorKey?: string
  readonly validation?: string
  readonly standardization: string[]
  readonly storeIn: string
  readonly json?: boolean
}

const AUDITOR_KEY_HINT = "the auditor's raw X25519 public key: 0x followed by 64 hex characters (for example the encryptionKey `fedchain node init --json` printed for the auditor's node), not a key file"

const MODEL_ALIASES: Readonly<Record<string, ModelChoice>> = { logistic: 'logistic-regression', 'logistic-regression': 'logistic-regression', mlp: 'mlp', cnn: 'cnn' }

/**
 * `--model`: a kind (logistic | mlp | cnn, sized from the schema), an example name (its schema and
 * default model), or a JSON model spec (inline or a file path).
 */
async function resolveModel(model: string, schemaPath: string | undefined): Promise<{ spec: ModelSpec; schema: DatasetSchema }> {
  if ((EXAMPLE_NAMES as readonly string[]).includes(model)) {
    const schema = await loadSchema(schemaPath ?? `${examplesDir()}${model}/schema.json`)
    return { spec: defaultModelSpec(schema), schema }
  }
  if (schemaPath === undefined) throw invalidArgument('schema', 'is required unless --model names an example', 'e.g. --schema examples/breast-cancer/schema.json')
  const schema = await loadSchema(schemaPath)
  const alias = MODEL_ALIASES[model]
  if (alias !== undefined) return { spec: defaultModelSpec(schema, alias), schema }
  let text = model
  if (!model.trimStart().startsWith('{')) {
    text = await readFile(model, 'utf8').catch(() => {
      throw invalidArgument('model', `is neither logistic, mlp, cnn, an example (${EXAMPLE_NAMES.join(', ')}) nor a readable JSON spec file: ${model}`, 'e.g. --model logistic')
    })
  }
  try {
    return { spec: JSON.parse(text) as ModelSpec, schema }
  } catch {
    throw invalidArgument('model', 'holds invalid JSON', 'e.g. --model \'{"kind":"mlp","inputs":30,"hidden":[16],"classes":2}\'')
  }
}

/** `--validation`: the CSV's bytes, checked against the task's schema as the nodes will load it. */
async function readValidationCsv(path: string, schema: DatasetSchema): Promise<{ csv: Uint8Array; source: string }> {
  const csv = await readFile(path).catch((cause: unknown) => {
    throw invalidArgument('validation', `cannot read ${path} (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, 'check the --validation path: a CSV with the task schema’s columns')
  })
  checkValidationCsv({ bytes: csv, schema, source: path })
  return { csv, source: path }
}

/** Registers `fedchain task create` and `fedchain round launch`. */
export function registerTaskCommands(program: Command): void {
  const taskGroup = program.commands.find((c) => c.name() === 'task') ?? program.command('task').description('training tasks')
  taskGroup
    .command('create')
    .description('store the initial model and task manifest, escrow the rewards and create the task on chain')
    .option('--rpc <url>', 'JSON-RPC endpoint')
    .option('--contract <address>', 'aggregator contract address')
    .option('--chain <file>', 'take --rpc and --contract from a chain file')
    .option('--key-env <var>', 'environment variable holding the task owner key (task-creator role)', 'FEDCHAIN_OWNER_KEY')
    .requiredOption('--model <model>', 'logistic | mlp | cnn | an example name | a JSON model spec (inline or file)')
    .option('--schema <json>', 'dataset schema the hospitals’ CSVs follow')
    .requiredOption('--store-in <data-dir>', 'data dir of a node that serves the initial model and manifest to its peers')
    .option('--rounds <n>', 'rounds to finalize', '5')
    .option('--reward <tokens>', 'reward per round (FED)', '1000')
    .option('--committee-size <k>', 'committee size (every hospital when ≤ 7 are active)', '7')
    .option('--min-participants <n>', 'commitments needed for a round to count', '1')
    .option('--dp-epsilon <ε>', 'record-level DP budget per hospital for the whole task (omit: no DP)')
    .option('--dp-delta <δ>', 'δ of the DP guarantee', '1e-5')
    .option('--commit-seconds <s>', 'commit phase length', '60')
    .option('--share-seconds <s>', 'share phase length', '60')
    .option('--verify-seconds <s>', 'verify phase length', '120')
    .option('--epochs <n>', 'local epochs per round', '1')
    .option('--batch-size <n>', 'local batch size', '32')
    .option('--learning-rate <x>', 'local SGD learning rate', '0.1')
    .option('--clip-norm <C>', 'DP-SGD clip norm', '1')
    .option('--seed <n>', 'seed of the initial parameters (default: random)')
    .option('--auditor-key <hex>', "the auditor's raw X25519 public key (0x + 64 hex); every update is also encrypted to it")
    .option(
      '--validation <csv>',
      'validation CSV (task schema) every committee member scores updates on (holdout-loss check); it is sent to every hospital, so only data you may share with all of them (public or consented reference data), never patient records of one hospital',
    )
    .option(
      '--standardization <validation|local|file.json>',
      "feature scaling every node applies: fitted on the --validation CSV (default with --validation), the per-feature mean and std of a JSON file, every hospital's `fedchain node stats` file merged (repeat the flag), or local: each node's own statistics (default without --validation)",
      collect,
      [],
    )
    .option('--json', 'print the result as one JSON line')
    .action(async (options: TaskCreateOptions) => {
      // Every flag is checked before the chain is contacted or anything is stored.
      const { spec, schema } = await resolveModel(options.model, options.schema)
      const validation = options.validation === undefined ? undefined : await readValidationCsv(options.validation, schema)
      const standardization = await parseStandardization(options.standardization, schema, validation !== undefined)
      if (standardization === undefined && validation === undefined) {
        process.stderr.write('note: without --validation or --standardization <stats.json>, each node scales its rows with its own statistics; under non-IID data that skews the model and the committee’s checks\n')
      }
      const target = await resolveChainTarget(options)
      const rounds = parsePositiveInt('rounds', options.rounds)
      const rewardPerRound = parseTokenAmount('reward', options.reward)
      const parameters = {
        aggregator: target.contract,
        model: spec,
        schema,
        rounds,
        rewardPerRound,
        committeeSize: parsePositiveInt('committee-size', options.committeeSize),
        minParticipants: parsePositiveInt('min-participants', options.minParticipants),
        ...(options.dpEpsilon === undefined ? {} : { dp: { epsilon: parsePositiveNumber('dp-epsilon', options.dpEpsilon), delta: parsePositiveNumber('dp-delta', options.dpDelta) } }),
        timing: {
          commitDuration: parsePositiveInt('commit-seconds', options.commitSeconds),
          shareDuration: parsePositiveInt('share-seconds', options.shareSeconds),
          verifyDuration: parsePositiveInt('verify-seconds', options.verifySeconds),
        },
        training: {
          epochs: parsePositiveInt('epochs', options.epochs),
          batchSize: parsePositiveInt('batch-size', options.batchSize),
          learningRate: parsePositiveNumber('learning-rate', options.learningRate),
          clipNorm: parsePositiveNumber('clip-norm', options.clipNorm),
        },
        ...(options.seed === undefined ? {} : { seed: parsePositiveInt('seed', options.seed, 0) }),
        ...(options.auditorKey === undefined ? {} : { auditorKey: parseX25519PublicKey('auditor-key', options.auditorKey, AUDITOR_KEY_HINT) }),
        ...(validation === undefined ? {} : { validation }),
        ...(standardization === undefined ? {} : { standardization }),
      }
      // Refused before anything is created or sent (createTask checks again for library callers).
      if (parameters.dp !== undefined) checkPrivacyTarget(parameters.dp)
      await checkOutputDirectory(options.storeIn, 'store-in')
      const provider = await connectRpc({ url: target.rpc })
      try {
        const signer = walletFromEnv(options.keyEnv, provider)
        const sender = { address: signer.address, action: 'create a task', keyEnv: options.keyEnv }
        await checkSender({ ...sender, provider, rpc: target.rpc, aggregator: target.contract, role: 'task-creator' })
        await checkEscrow({ provider, aggregator: target.contract, address: signer.address, escrow: rewardPerRound * BigInt(rounds) })
        const store = await createFsBlobStore({ path: blobStorePath(resolve(options.storeIn)) })
        try {
          const result = await createTask({ ...parameters, signer, store }).catch((error: unknown) => {
            throw describeSendError(error, sender)
          })
          if (options.json === true) printJson(result)
          else {
            const validationLine = result.validation === undefined ? '' : `validation ${result.validation.rows} rows, ${result.validation.cid}\n`
            const scalingLine = `scaling  ${result.standardization === 'local' ? "each node's own statistics" : typeof parameters.standardization === 'object' ? `one for every node, from ${options.standardization.join(', ')}` : 'one for every node, fitted on the validation set'}\n`
            process.stdout.write(`task ${result.taskId} created (tx ${result.txHash})\nmodel    ${spec.kind}, ${result.modelCid}\nmanifest ${result.manifestCid}\n${validationLine}${scalingLine}next: fedchain round launch --task ${result.taskId} …\n`)
          }
        } finally {
          await store.close?.()
        }
      } finally {
        provider.destroy()
      }
    })

  const roundGroup = program.commands.find((c) => c.name() === 'round') ?? program.command('round').description('task rounds')
  roundGroup
    .command('launch')
    .description("open a task's next round")
    .requiredOption('--task <id>', 'task id')
    .option('--rpc <url>', 'JSON-RPC endpoint')
    .option('--contract <address>', 'aggregator contract address')
    .option('--chain <file>', 'take --rpc and --contract from a chain file')
    .option('--key-env <var>', 'environment variable holding the key that pays for the transaction', 'FEDCHAIN_OWNER_KEY')
    .option('--wait', 'wait until the round is finalized or aborted')
    .option('--json', 'print the result as one JSON line')
    .action(async (options: { task: string; rpc?: string; contract?: string; chain?: string; keyEnv: string; wait?: boolean; json?: boolean }) => {
      const taskId = parseTaskId(options.task)
      const target = await resolveChainTarget(options)
      const provider = await connectRpc({ url: target.rpc })
      try {
        const signer = walletFromEnv(options.keyEnv, provider)
        const sender = { address: signer.address, action: 'open a round', keyEnv: options.keyEnv }
        await checkSender({ ...sender, provider, rpc: target.rpc, aggregator: target.contract })
        const result = await launchRound({ signer, aggregator: target.contract, taskId, wait: options.wait === true }).catch((error: unknown) => {
          throw describeSendError(error, sender)
        })
        if (options.json === true) printJson(result)
        else {
          process.stdout.write(`task ${taskId} round ${result.round} opened (tx ${result.txHash}), quorum ${result.quorum}\n`)
          if (result.outcome !== undefined) process.stdout.write(`round ${result.round} ${result.outcome} (tx ${result.outcomeTx})\n`)
        }
      } finally {
        provider.destroy()
      }
    })
}
