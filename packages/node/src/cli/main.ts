#!/usr/bin/env node
import { FedchainError } from '../errors.js'
import { createProgram } from './program.js'

const debug = process.argv.includes('--debug')

try {
  await createProgram().parseAsync(process.argv)
} catch (error) {
  if (error instanceof FedchainError) {
    process.stderr.write(`error: ${error.shortMessage}\n${error.hint === undefined ? '' : `hint: ${error.hint}\n`}`)
  } else {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`)
  }
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`)
  process.exitCode = 1
}
