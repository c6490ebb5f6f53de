import { readFile } from 'node:fs/promises'
import { writeBytesAtomic } from './atomic-bytes.js'

/**
 * Writes JSON so that a crash leaves either the old file or the new one, never a torn mix
 * (see {@link writeBytesAtomic}). Bigints are written as decimal strings.
 */
export async function writeJsonAtomic(path: string, value: unknown, mode = 0o600, directoryMode = 0o700): Promise<void> {
  const text = `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`
  await writeBytesAtomic(path, new TextEncoder().encode(text), mode, directoryMode)
}

/** Reads a JSON file; undefined when it does not exist. */
export async function readJsonIfExists(path: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined
    throw error
  }
  return JSON.parse(text) as unknown
}
