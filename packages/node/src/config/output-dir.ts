import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { dirname, resolve, sep } from 'node:path'
import { NodeConfigError } from './errors.js'

function notADirectory(flag: string, given: string, file: string, isTarget: boolean): NodeConfigError {
  return new NodeConfigError(
    'CONFIG_ARGUMENT_INVALID',
    isTarget ? `--${flag} ${given} is a file, not a directory` : `--${flag} ${given} cannot be created: ${file} is a file, not a directory`,
    { details: { argument: flag, path: given, file }, hint: `pass a directory to --${flag} (a missing one is created), or move ${file} out of the way` },
  )
}

function notWritable(flag: string, given: string, dir: string, isTarget: boolean, cause?: unknown): NodeConfigError {
  return new NodeConfigError(
    'CONFIG_ARGUMENT_INVALID',
    isTarget ? `cannot write to ${given} (--${flag}): permission denied` : `cannot write to ${given} (--${flag}): ${dir} is not writable`,
    { details: { argument: flag, path: given, directory: dir }, hint: `choose a directory you can write to with --${flag}, or fix the permissions of ${dir}`, cause },
  )
}

/**
 * Checks that `path` can take a command's output before anything is computed or created: it must
 * be a directory this process can write to, or be missing with a writable directory as its nearest
 * existing ancestor. Creates nothing.
 *
 * @param flag the flag that named the path, without dashes (`out`, `data-dir`)
 * @throws {NodeConfigError} `CONFIG_ARGUMENT_INVALID`: `--out /tmp/afile is a file, not a directory`,
 *   `cannot write to /tmp/ro/sub (--out): /tmp/ro is not writable`
 */
export async function checkOutputDirectory(path: string, flag: string): Promise<void> {
  const target = resolve(path)
  let dir = target
  for (;;) {
    try {
      const info = await stat(dir)
      if (!info.isDirectory()) throw notADirectory(flag, path, dir, dir === target)
    } catch (error) {
      if (error instanceof NodeConfigError) throw error
      const code = (error as NodeJS.ErrnoException).code
      // Missing, or a file somewhere above it (ENOTDIR): look at the parent.
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(dir) !== dir) {
        dir = dirname(dir)
        continue
      }
      if (code === 'EACCES') throw notWritable(flag, path, dirname(dir), false, error)
      throw error
    }
    try {
      await access(dir, constants.W_OK | constants.X_OK)
    } catch (error) {
      throw notWritable(flag, path, dir, dir === target, error)
    }
    return
  }
}

/**
 * Turns a filesystem error met while writing under `--<flag> <path>` (EACCES, EEXIST, ENOTDIR,
 * EROFS, ENOSPC, …) into the same clear error {@link checkOutputDirectory} gives. Errors that name
 * no path inside, or above, the output directory are returned unchanged.
 */
export function describeOutputError(error: unknown, path: string, flag: string): unknown {
  const errno = error as NodeJS.ErrnoException | null
  if (typeof errno?.code !== 'string' || typeof errno.path !== 'string') return error
  // Only errors about the output directory, a file in it or a directory above it.
  const target = resolve(path)
  const failed = resolve(errno.path)
  const related = (a: string, b: string) => a === b || a.startsWith(b.endsWith(sep) ? b : `${b}${sep}`)
  if (!related(failed, target) && !related(target, failed)) return error
  switch (errno.code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return notWritable(flag, path, errno.path, failed === target, error)
    case 'EEXIST':
    case 'ENOTDIR':
      return notADirectory(flag, path, errno.path, failed === target)
    case 'ENOSPC':
    case 'EDQUOT':
      return new NodeConfigError('CONFIG_ARGUMENT_INVALID', `cannot write to ${path} (--${flag}): the disk is full`, {
        details: { argument: flag, path },
        hint: `free some space, or choose a directory on another disk with --${flag}`,
        cause: error,
      })
    default:
      return error
  }
}
