import { randomBytes } from 'node:crypto'
import { chmod, link, mkdir, open, readFile, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { KeyFileInsecureError } from './errors.js'

/** Owner read/write only. */
export const KEY_FILE_MODE = 0o600
/** Owner only. */
export const KEY_DIR_MODE = 0o700

/**
 * Writes a key file with mode 0600 through a temporary file and a hard link, so a crash never
 * leaves a half-written key. Refuses to replace an existing file (EEXIST).
 */
export async function writeKeyFile(path: string, contents: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: KEY_DIR_MODE })
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  const handle = await open(tmp, 'wx', KEY_FILE_MODE)
  try {
    await handle.writeFile(contents, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
  // The mode passed to open() is masked by the umask; set it explicitly.
  await chmod(tmp, KEY_FILE_MODE)
  try {
    // link() fails with EEXIST instead of replacing: an existing key is never overwritten.
    await link(tmp, path)
  } finally {
    await rm(tmp, { force: true })
  }
}

/**
 * Reads a key file after checking that no one but its owner can read it.
 *
 * @throws {@link KeyFileInsecureError} when group or others have any permission
 */
export async function readKeyFile(path: string): Promise<string> {
  if (process.platform !== 'win32') {
    const { mode } = await stat(path)
    if ((mode & 0o077) !== 0) throw new KeyFileInsecureError(path, mode)
  }
  return readFile(path, 'utf8')
}

/** True when the file exists. */
export async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
}
