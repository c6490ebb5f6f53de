import type * as FsPromises from 'node:fs/promises'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { checkOutputDirectory, describeOutputError } from '../../src/config/output-dir.js'
import { fileExists } from '../../src/crypto/key-file-io.js'

const isRoot = process.getuid?.() === 0

// Permission checks pass for root whatever the mode: a directory named `denied` refuses writes to
// everyone, so the EACCES path is covered under root too.
vi.mock('node:fs/promises', async (importOriginal) => {
  const original = await importOriginal<typeof FsPromises>()
  return {
    ...original,
    access: async (path: string, mode?: number) => {
      if (String(path).endsWith('/denied')) throw Object.assign(new Error(`EACCES: permission denied, access '${path}'`), { code: 'EACCES', syscall: 'access', path })
      return original.access(path, mode)
    },
  }
})

describe('checkOutputDirectory', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedchain-outdir-'))
    await writeFile(join(dir, 'afile'), 'x')
  })
  afterAll(async () => {
    await chmod(join(dir, 'ro'), 0o700).catch(() => undefined)
    await rm(dir, { recursive: true, force: true })
  })

  it('accepts an existing directory and a missing one under a writable directory, creating nothing', async () => {
    await checkOutputDirectory(dir, 'out')
    await checkOutputDirectory(join(dir, 'new', 'deeper'), 'out')
    expect(await fileExists(join(dir, 'new'))).toBe(false)
  })

  it('says the path is a file', async () => {
    const path = join(dir, 'afile')
    const error = await checkOutputDirectory(path, 'out').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CONFIG_ARGUMENT_INVALID', shortMessage: `--out ${path} is a file, not a directory` })
    expect((error as { hint: string }).hint).toContain('--out')
  })

  it('says which part of the path is a file', async () => {
    const path = join(dir, 'afile', 'sub')
    await expect(checkOutputDirectory(path, 'data-dir')).rejects.toMatchObject({
      shortMessage: `--data-dir ${path} cannot be created: ${join(dir, 'afile')} is a file, not a directory`,
    })
  })

  it('says the directory is not writable (or the one it would be created in)', async () => {
    const denied = join(dir, 'denied')
    await mkdir(denied)
    await expect(checkOutputDirectory(denied, 'out')).rejects.toMatchObject({ code: 'CONFIG_ARGUMENT_INVALID', shortMessage: `cannot write to ${denied} (--out): permission denied` })
    const error = await checkOutputDirectory(join(denied, 'sub2'), 'out').catch((e: unknown) => e)
    expect(error).toMatchObject({ shortMessage: `cannot write to ${join(denied, 'sub2')} (--out): ${denied} is not writable` })
    expect((error as { hint: string }).hint).toBe(`choose a directory you can write to with --out, or fix the permissions of ${denied}`)
  })

  it.skipIf(isRoot)('says the directory is not writable (real permissions)', async () => {
    const ro = join(dir, 'ro')
    await mkdir(ro)
    await chmod(ro, 0o500)
    const error = await checkOutputDirectory(join(ro, 'sub'), 'out').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CONFIG_ARGUMENT_INVALID', shortMessage: `cannot write to ${join(ro, 'sub')} (--out): ${ro} is not writable` })
    expect((error as { hint: string }).hint).toContain(`fix the permissions of ${ro}`)
  })
})

describe('describeOutputError', () => {
  const errno = (code: string, syscall: string, path: string) => Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path })

  it('turns raw EEXIST / EACCES errors under the output directory into flag errors', () => {
    expect(describeOutputError(errno('EEXIST', 'mkdir', '/tmp/fe/afile'), '/tmp/fe/afile', 'out')).toMatchObject({
      shortMessage: '--out /tmp/fe/afile is a file, not a directory',
    })
    expect(describeOutputError(errno('EACCES', 'mkdir', '/tmp/fe/ro/sub2'), '/tmp/fe/ro/sub2', 'out')).toMatchObject({
      shortMessage: 'cannot write to /tmp/fe/ro/sub2 (--out): permission denied',
    })
    expect(describeOutputError(errno('EACCES', 'open', '/tmp/fe/out/summary.json.tmp'), '/tmp/fe/out', 'out')).toMatchObject({
      shortMessage: 'cannot write to /tmp/fe/out (--out): /tmp/fe/out/summary.json.tmp is not writable',
    })
  })

  it('leaves errors about other paths alone', () => {
    const other = errno('EACCES', 'open', '/etc/shadow')
    expect(describeOutputError(other, '/tmp/fe/out', 'out')).toBe(other)
    const plain = new Error('boom')
    expect(describeOutputError(plain, '/tmp/fe/out', 'out')).toBe(plain)
  })
})
