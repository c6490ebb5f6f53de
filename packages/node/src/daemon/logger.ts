/** Severity of a log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

const LEVELS: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 }

/** Structured logger of the daemon: one JSON object per line. */
export interface DaemonLogger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
  /** A logger whose lines also carry `fields`. */
  child(fields: Record<string, unknown>): DaemonLogger
}

/** Options of {@link createLogger}. */
export interface LoggerInit {
  /** Where lines go. @default process.stderr */
  readonly write?: (line: string) => void
  /** Lowest level written. @default 'info' (FEDCHAIN_LOG_LEVEL overrides in the CLI) */
  readonly level?: LogLevel
  /** Fields on every line, e.g. the node's name. */
  readonly fields?: Record<string, unknown>
}

function serialize(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Error) return (value as { shortMessage?: string }).shortMessage ?? value.message
  return value
}

/**
 * Writes `{"time":…,"level":…,"msg":…,…fields}` lines (stderr by default) so logs of several
 * nodes can be merged, filtered and parsed (`jq`), while stdout stays free for command output.
 */
export function createLogger(init: LoggerInit = {}): DaemonLogger {
  const write = init.write ?? ((line: string) => process.stderr.write(line))
  const min = LEVELS[init.level ?? 'info']
  const base = init.fields ?? {}
  const log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < min) return
    const record = { time: new Date().toISOString(), level, msg, ...base, ...fields }
    write(`${JSON.stringify(record, (_k, v: unknown) => serialize(v))}\n`)
  }
  return {
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
    child: (fields) => createLogger({ ...init, fields: { ...base, ...fields } }),
  }
}

/** Parses FEDCHAIN_LOG_LEVEL-style values; unknown values fall back to `info`. */
export function parseLogLevel(value: string | undefined): LogLevel {
  return value === 'debug' || value === 'warn' || value === 'error' ? value : 'info'
}
