import { randomBytes } from 'node:crypto'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * Writes bytes to `path` via a synced temp file and a rename, so readers never see a partial file.
 * Private by default (file 0600, new directories 0700); run outputs meant for others pass wider modes.
 */
export async function writeBytesAtomic(path: string, bytes: Uint8Array, mode = 0o600, directoryMode = 0o700): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: directoryMode })
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  const handle = await open(temp, 'w', mode)
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
