import { FedchainError } from '../errors.js'

/** The summary given to the report is not a run summary (not JSON, or no `rounds` array). */
export class ReportSummaryInvalidError extends FedchainError {
  constructor(source: string, problem: string, cause?: unknown) {
    super('REPORT_SUMMARY_INVALID', `${source} is not a run summary: ${problem}`, {
      details: { source, problem },
      hint: 'pass the summary.json written by `fedchain simulate --out <dir>` (an object with a "rounds" array)',
      ...(cause === undefined ? {} : { cause }),
    })
  }
}

/** The summary file could not be read, or the report could not be written. */
export class ReportIoError extends FedchainError {
  constructor(path: string, action: 'read' | 'write', cause: unknown) {
    const reason = (cause as { code?: string } | undefined)?.code ?? (cause instanceof Error ? cause.message : String(cause))
    super('REPORT_IO', `could not ${action} ${path} (${reason})`, {
      details: { path, action },
      hint: action === 'read' ? 'check the path to summary.json and that it is readable' : 'check that the output directory is writable',
      cause,
    })
  }
}
