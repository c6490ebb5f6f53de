import { FedchainError } from '../errors.js'

/** Codes of the learning core's errors; callers branch on these, never on message text. */
export type LearningErrorCode =
  | 'DATA_FILE_EMPTY'
  | 'DATA_COLUMN_MISSING'
  | 'DATA_CELL_NOT_NUMERIC'
  | 'DATA_CELL_NAN'
  | 'DATA_LABEL_UNKNOWN'
  | 'DATA_ROW_LENGTH'
  | 'SCHEMA_INVALID'
  | 'MODEL_INVALID'
  | 'MODEL_BLOB_INVALID'
  | 'LEARNING_INVALID_ARGUMENT'

/** Every failure of datasets, models and local training. */
export class LearningError extends FedchainError {
  declare readonly code: LearningErrorCode

  constructor(
    code: LearningErrorCode,
    shortMessage: string,
    options: { details?: Record<string, unknown>; hint?: string; cause?: unknown } = {},
  ) {
    super(code, shortMessage, options)
  }
}

/** A CSV file or one of its cells does not match the dataset schema. */
export class DatasetError extends LearningError {}

/** A model spec, parameter vector or serialized model is malformed or does not match. */
export class ModelError extends LearningError {}

/** Throws a {@link LearningError} naming `name` when `ok` is false. */
export function requireArgument(ok: boolean, name: string, expected: string, actual: unknown): void {
  if (!ok) {
    throw new LearningError('LEARNING_INVALID_ARGUMENT', `${name} must be ${expected}; got ${String(actual)}`, {
      details: { argument: name, actual },
      hint: `pass ${name} as ${expected}`,
    })
  }
}
