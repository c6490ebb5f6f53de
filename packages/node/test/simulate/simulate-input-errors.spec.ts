import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fedchainFails } from '../cli/run-cli.js'

const schema = fileURLToPath(new URL('../../../../examples/breast-cancer/schema.json', import.meta.url))
const csv = fileURLToPath(new URL('../../../../examples/breast-cancer/data/wdbc.csv', import.meta.url))

const fail = (args: string[]) => fedchainFails(['simulate', '--coordinator', 'memory', ...args])

describe('fedchain simulate input errors', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedchain-sim-input-'))
    const lines = (await readFile(csv, 'utf8')).split('\n')
    await writeFile(join(dir, 'tiny.csv'), `${lines.slice(0, 4).join('\n')}\n`)
    await writeFile(join(dir, 'thirty.csv'), `${lines.slice(0, 31).join('\n')}\n`)
    await writeFile(join(dir, 'afile'), 'keep me')
  })
  afterAll(async () => rm(dir, { recursive: true, force: true }))

  it('names --nodes and the CSV when there are too few rows for the hospitals, and writes nothing', async () => {
    const tiny = join(dir, 'tiny.csv')
    const failure = await fail(['--data', tiny, '--schema', schema, '--out', join(dir, 'out-tiny')])
    expect(failure.code).toBe(1)
    expect(failure.stderr).toBe(`error: --nodes 5 needs at least 50 rows (10 per hospital); ${tiny} has 3\nhint: use a dataset with at least 50 rows (10 per hospital)\n`)
    const thirty = join(dir, 'thirty.csv')
    const some = await fail(['--data', thirty, '--schema', schema, '--out', join(dir, 'out-thirty')])
    expect(some.stderr).toBe(`error: --nodes 5 needs at least 50 rows (10 per hospital); ${thirty} has 30\nhint: lower --nodes to 3 or less, or use a dataset with at least 50 rows\n`)
    const example = await fail(['--nodes', '100', '--out', join(dir, 'out-example')])
    expect(example.stderr).toContain('error: --nodes 100 needs at least 1000 rows (10 per hospital); the breast-cancer example has 569\n')
    expect((await readdir(dir)).filter((f) => f.startsWith('out-'))).toEqual([])
  })

  it('refuses an --out that is a file before running anything, and leaves the file alone', async () => {
    const path = join(dir, 'afile')
    const failure = await fail(['--rounds', '1', '--out', path])
    expect(failure.code).toBe(1)
    expect(failure.stderr).toBe(`error: --out ${path} is a file, not a directory\nhint: pass a directory to --out (a missing one is created), or move ${path} out of the way\n`)
    expect(failure.stderr).not.toContain('EEXIST')
    expect(await readFile(path, 'utf8')).toBe('keep me')
    const below = await fail(['--rounds', '1', '--out', join(path, 'sub')])
    expect(below.stderr).toContain(`error: --out ${join(path, 'sub')} cannot be created: ${path} is a file, not a directory\n`)
  })
})
