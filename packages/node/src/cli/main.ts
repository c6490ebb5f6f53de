#!/usr/bin/env node
import { createProgram } from './program.js'

const debug = process.argv.includes('--debug')

/** Errors of every fedchain package carry `shortMessage` and `hint` (FedchainError, AggregatorError, …). */
interface DescribedError {
  readonly shortMessage: string
  readonly hint?: string
}

function isDescribed(error: unknown): error is DescribedError {
  return typeof (error as { shortMessage?: unknown } | null)?.shortMessage === 'string'
}

try {
  await createProgram().parseAsync(process.argv)
} catch (error) {
  if (isDescribed(error)) {
    process.stderr.write(`error: ${error.shortMessage}\n${error.hint === undefined ? '' : `hint: ${error.hint}\n`}`)
  } else {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`)
  }
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`)
  process.exitCode = 1
}
