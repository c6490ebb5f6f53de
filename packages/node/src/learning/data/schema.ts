import { DatasetError } from '../errors.js'

/** What the label column holds. */
export type TaskType = 'binary-classification' | 'multiclass-classification'

/** The optional image geometry of the feature columns (row-major, channels last), for CNNs. */
export interface ImageShape {
  readonly height: number
  readonly width: number
  readonly channels: number
}

/**
 * The contract between a hospital's CSV export and a training task: which columns are features,
 * which is the label and which label values exist. Stored as JSON next to the data.
 */
export interface DatasetSchema {
  /** @default 1 */
  readonly version: 1
  readonly name: string
  readonly task: TaskType
  /** Feature column names, in model input order. */
  readonly features: readonly string[]
  readonly label: {
    readonly column: string
    /** The label values as written in the CSV; their index is the class index. */
    readonly classes: readonly string[]
    /** Human-readable class names, same order as `classes`. */
    readonly names?: readonly string[]
  }
  readonly image?: ImageShape
}

function invalid(problem: string, hint: string): DatasetError {
  return new DatasetError('SCHEMA_INVALID', `invalid dataset schema: ${problem}`, { hint })
}

/**
 * Checks an untrusted JSON value against {@link DatasetSchema}.
 * @throws {DatasetError} `SCHEMA_INVALID` naming the first problem found
 */
export function parseDatasetSchema(value: unknown): DatasetSchema {
  if (typeof value !== 'object' || value === null) throw invalid('not a JSON object', 'see examples/breast-cancer/schema.json')
  const v = value as Record<string, unknown>
  if (v['version'] !== 1) throw invalid(`version must be 1, got ${String(v['version'])}`, 'set "version": 1')
  if (typeof v['name'] !== 'string' || v['name'] === '') throw invalid('name must be a non-empty string', 'set "name"')
  if (v['task'] !== 'binary-classification' && v['task'] !== 'multiclass-classification') {
    throw invalid(`task must be binary-classification or multiclass-classification, got ${String(v['task'])}`, 'set "task"')
  }
  const features = v['features']
  if (!Array.isArray(features) || features.length === 0 || !features.every((f) => typeof f === 'string')) {
    throw invalid('features must be a non-empty array of column names', 'list the feature columns in "features"')
  }
  if (new Set(features).size !== features.length) throw invalid('features lists a column twice', 'remove the duplicate')
  const label = v['label'] as Record<string, unknown> | undefined
  if (typeof label !== 'object' || label === null || typeof label['column'] !== 'string') {
    throw invalid('label.column must name the label column', 'set "label": { "column": …, "classes": […] }')
  }
  const classes = label['classes']
  if (!Array.isArray(classes) || classes.length < 2) {
    throw invalid('label.classes must list at least two label values', 'e.g. "classes": ["0", "1"]')
  }
  const classStrings = classes.map(String)
  if (new Set(classStrings).size !== classStrings.length) throw invalid('label.classes lists a value twice', 'remove the duplicate')
  if (v['task'] === 'binary-classification' && classes.length !== 2) {
    throw invalid(`a binary task needs exactly 2 classes, got ${classes.length}`, 'use multiclass-classification')
  }
  if ((features as string[]).includes(label['column'])) throw invalid('the label column is also a feature', 'remove it from "features"')
  const names = label['names']
  if (names !== undefined && (!Array.isArray(names) || names.length !== classes.length)) {
    throw invalid('label.names must have one entry per class', 'match label.classes')
  }
  const image = v['image'] as Record<string, unknown> | undefined
  if (image !== undefined) {
    const dims = [image['height'], image['width'], image['channels']]
    if (!dims.every((d) => Number.isInteger(d) && (d as number) > 0)) {
      throw invalid('image needs positive integer height, width and channels', 'e.g. { "height": 8, "width": 8, "channels": 1 }')
    }
    const [h, w, c] = dims as number[]
    if ((h as number) * (w as number) * (c as number) !== features.length) {
      throw invalid(`image ${h}×${w}×${c} does not match ${features.length} features`, 'fix image or features')
    }
  }
  return {
    version: 1,
    name: v['name'],
    task: v['task'],
    features: features as string[],
    label: {
      column: label['column'],
      classes: classStrings,
      ...(names === undefined ? {} : { names: (names as unknown[]).map(String) }),
    },
    ...(image === undefined
      ? {}
      : { image: { height: image['height'] as number, width: image['width'] as number, channels: image['channels'] as number } }),
  }
}
