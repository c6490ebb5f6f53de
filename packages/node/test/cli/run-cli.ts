import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { vi } from 'vitest'
import { createProgram } from '../../src/cli/program.js'

/** Runs `fedchain …args` in-process; returns what it printed to stdout and what it threw. */
export async function fedchain(...args: string[]): Promise<{ stdout: string; error: unknown }> {
  let stdout = ''
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk)
    return true
  })
  try {
    const error = await createProgram()
      .exitOverride()
      .parseAsync(['node', 'fedchain', ...args])
      .then(() => undefined, (e: unknown) => e)
    return { stdout, error }
  } finally {
    spy.mockRestore()
  }
}

/** The JSON document a `--json` command printed on its last line. */
export function lastJson<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as T
}

/** The built CLI entry point, as the package's `bin` runs it (tests that need a real process). */
export const CLI_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))

const execFileAsync = promisify(execFile)

/** Runs the built `fedchain …args` as a child process, with this process's environment plus `env`. */
export function runFedchain(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync(process.execPath, [CLI_MAIN, ...args], { env: { ...process.env, ...env } })
}

/** Exit code and output of a `fedchain` child process that failed. */
export interface CliFailure {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** {@link runFedchain} that must fail: resolves with the failure, rejects when the command succeeded. */
export function fedchainFails(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliFailure> {
  return runFedchain(args, env).then(
    () => {
      throw new Error(`fedchain ${args.join(' ')} succeeded`)
    },
    (e: unknown) => e as CliFailure,
  )
}
