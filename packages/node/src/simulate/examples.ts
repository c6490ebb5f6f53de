import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { loadCsv } from '../learning/data/csv.js'
import type { Dataset } from '../learning/data/dataset.js'
import { parseDatasetSchema, type DatasetSchema } from '../learning/data/schema.js'
import { DatasetError } from '../learning/errors.js'
import type { Activation, ModelSpec } from '../learning/model/spec.js'

/** Bundled example datasets (examples/<name>/). */
export const EXAMPLE_NAMES = ['breast-cancer', 'digits'] as const
export type ExampleName = (typeof EXAMPLE_NAMES)[number]

const EXAMPLE_FILES: Record<ExampleName, string> = { 'breast-cancer': 'data/wdbc.csv', digits: 'data/digits.csv' }

/** The repository's examples folder, same relative place from src/ and dist/. */
export function examplesDir(): string {
  return fileURLToPath(new URL('../../../../examples/', import.meta.url))
}

/** Where to find a dataset: a bundled example or a CSV plus schema. */
export type DatasetSource = { readonly example: ExampleName } | { readonly data: string; readonly schema: string }

/** Loads a schema JSON file. @throws {DatasetError} `SCHEMA_INVALID` */
export async function loadSchema(path: string): Promise<DatasetSchema> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    throw new DatasetError('SCHEMA_INVALID', `cannot read schema ${path}`, { cause, hint: 'check the --schema path' })
  }
  try {
    return parseDatasetSchema(JSON.parse(text))
  } catch (cause) {
    if (cause instanceof DatasetError) throw cause
    throw new DatasetError('SCHEMA_INVALID', `schema ${path} is not valid JSON`, { cause, hint: (cause as Error).message })
  }
}

/** Loads the dataset and its schema. */
export async function loadDatasetSource(source: DatasetSource): Promise<{ name: string; schema: DatasetSchema; dataset: Dataset }> {
  const paths =
    'example' in source
      ? { data: `${examplesDir()}${source.example}/${EXAMPLE_FILES[source.example]}`, schema: `${examplesDir()}${source.example}/schema.json` }
      : source
  const schema = await loadSchema(paths.schema)
  const dataset = await loadCsv(paths.data, schema)
  return { name: schema.name, schema, dataset }
}

/** Model kinds `--model` accepts. */
export type ModelChoice = 'logistic-regression' | 'mlp' | 'cnn'

/** Architecture knobs on top of {@link ModelChoice}. */
export interface ModelShapeOptions {
  /** MLP hidden widths. @default [32] */
  readonly hidden?: readonly number[]
  /** MLP activation. @default 'relu' */
  readonly activation?: Activation
  /** CNN filters. @default 16 */
  readonly filters?: number
}

/**
 * The model spec for a schema: logistic regression for binary tasks and an MLP otherwise unless
 * `choice` says otherwise; `cnn` needs the schema's image shape.
 * @throws {DatasetError} `SCHEMA_INVALID` when a CNN is asked for a non-image schema
 */
export function defaultModelSpec(schema: DatasetSchema, choice?: ModelChoice, shape: ModelShapeOptions = {}): ModelSpec {
  const inputs = schema.features.length
  const classes = schema.label.classes.length
  const kind = choice ?? (schema.task === 'binary-classification' ? 'logistic-regression' : 'mlp')
  switch (kind) {
    case 'logistic-regression':
      return { kind, inputs, classes }
    case 'mlp':
      return { kind, inputs, hidden: shape.hidden ?? [32], activation: shape.activation ?? 'relu', classes }
    case 'cnn':
      if (schema.image === undefined) {
        throw new DatasetError('SCHEMA_INVALID', `schema ${schema.name} has no image shape, which the CNN needs`, { hint: 'add "image" to the schema or pick --model mlp' })
      }
      return { kind, image: schema.image, filters: shape.filters ?? 16, classes }
  }
}
