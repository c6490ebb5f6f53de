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
