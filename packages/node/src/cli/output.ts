/** Flags every command that prints a result understands. */
export interface OutputOptions {
  readonly json?: boolean
}

/** Prints one JSON document on one line, so scripts can take the last line of output. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`)
}
