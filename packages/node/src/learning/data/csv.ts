import { readFile } from 'node:fs/promises'
import { DatasetError } from '../errors.js'
import type { Dataset } from './dataset.js'
import type { DatasetSchema } from './schema.js'

/** Where a CSV came from, for error messages. */
export interface ParseCsvParameters {
  readonly text: string
  readonly schema: DatasetSchema
  /** Shown in errors. @default '<csv>' */
  readonly source?: string
}

function splitLine(line: string): string[] {
  // Quoted cells are rare in clinical exports but cheap to honour; embedded newlines are not supported.
  if (!line.includes('"')) return line.split(',').map((c) => c.trim())
  const cells: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      cells.push(cell.trim())
      cell = ''
    } else cell += ch
  }
  cells.push(cell.trim())
  return cells
}

/**
 * A decimal number as spreadsheets and statistics packages export it: 12, -0.5, .5, 1.2e-5.
 * `Number()` alone also takes 0x10, 0b1, Infinity and '' (as 0), which a clinical export never
 * means.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

function labelKey(cell: string): string {
  // "1", "1.0" and " 1 " are the same label; non-numeric labels compare as written.
  return DECIMAL.test(cell) ? String(Number(cell)) : cell
}

/**
 * Parses CSV text (header row, comma-separated) into a {@link Dataset} following `schema`.
 * Extra columns are ignored.
 * @throws {DatasetError} `DATA_FILE_EMPTY`, `DATA_COLUMN_MISSING`, `DATA_ROW_LENGTH`,
 *   `DATA_CELL_NOT_NUMERIC`, `DATA_CELL_NAN` or `DATA_LABEL_UNKNOWN`, with row and column in `details`
 */
export function parseCsv({ text, schema, source = '<csv>' }: ParseCsvParameters): Dataset {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '')
  const headerLine = lines[0]
  if (headerLine === undefined) {
    throw new DatasetError('DATA_FILE_EMPTY', `${source} is empty`, {
      details: { source },
      hint: 'export the table with a header row and at least one data row',
    })
  }
  if (lines.length === 1) {
    throw new DatasetError('DATA_FILE_EMPTY', `${source} has a header but no data rows`, {
      details: { source },
      hint: 'export the table with at least one data row',
    })
  }
  const header = splitLine(headerLine)
  const wanted = [...schema.features, schema.label.column]
  const missing = wanted.filter((c) => !header.includes(c))
  if (missing.length > 0) {
    throw new DatasetError('DATA_COLUMN_MISSING', `${source} lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, {
      details: { source, missing },
      hint: `the schema '${schema.name}' needs these columns; rename them in the export or fix the schema`,
    })
  }
  const featureIndex = schema.features.map((c) => header.indexOf(c))
  const labelIndex = header.indexOf(schema.label.column)
  const classIndex = new Map(schema.label.classes.map((c, i) => [labelKey(c), i]))
  const rows = lines.length - 1
  const d = schema.features.length
  const features = new Float32Array(rows * d)
  const labels = new Int32Array(rows)
  for (let r = 0; r < rows; r++) {
    const line = r + 2 // 1-based, after the header
    const cells = splitLine(lines[r + 1] as string)
    if (cells.length !== header.length) {
      throw new DatasetError('DATA_ROW_LENGTH', `${source} line ${line} has ${cells.length} cells, the header has ${header.length}`, {
        details: { source, line },
        hint: 'check for a missing or extra comma on that line',
      })
    }
    for (let j = 0; j < d; j++) {
      const cell = cells[featureIndex[j] as number] as string
      const column = schema.features[j] as string
      const value = DECIMAL.test(cell) ? Number(cell) : Number.NaN
      if (cell === '' || /^[+-]?nan$/i.test(cell)) {
        throw new DatasetError('DATA_CELL_NAN', `${source} line ${line} column ${column} has a missing value ('${cell}')`, {
          details: { source, line, column, cell },
          hint: 'impute or drop rows with missing values before training',
        })
      }
      if (!Number.isFinite(value)) {
        throw new DatasetError('DATA_CELL_NOT_NUMERIC', `${source} line ${line} column ${column} is not a number ('${cell}')`, {
          details: { source, line, column, cell },
          hint: 'feature columns must hold decimal numbers such as 12, -0.5 or 1.2e-5 (no hex, units or thousands separators)',
        })
      }
      features[r * d + j] = value
    }
    const labelCell = cells[labelIndex] as string
    const cls = classIndex.get(labelKey(labelCell))
    if (cls === undefined) {
      throw new DatasetError(
        'DATA_LABEL_UNKNOWN',
        `${source} line ${line} has label '${labelCell}', which is not one of ${schema.label.classes.join(', ')}`,
        { details: { source, line, column: schema.label.column, cell: labelCell }, hint: 'fix the row or add the value to label.classes in the schema' },
      )
    }
    labels[r] = cls
  }
  return { features, labels, numFeatures: d, numClasses: schema.label.classes.length }
}

/**
 * Reads and parses a CSV file.
 * @throws {DatasetError} as {@link parseCsv}, or `DATA_FILE_EMPTY` when the file cannot be read
 */
export async function loadCsv(path: string, schema: DatasetSchema): Promise<Dataset> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    throw new DatasetError('DATA_FILE_EMPTY', `cannot read ${path}`, { cause, details: { source: path }, hint: 'check the --data path' })
  }
  return parseCsv({ text, schema, source: path })
}
