import { existsSync } from 'node:fs'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { fedchainFails, runFedchain } from './run-cli.js'
import { initNode } from '../../src/config/index.js'

const CONTRACT = '0x5FbDB2315678afecb367f032d93F642f64180aa3'

const fail = fedchainFails

describe('fedchain task / round', () => {
  it('task create rejects an unknown model before touching the chain', async () => {
    const failure = await fail(['task', 'create', '--rpc', 'http://127.0.0.1:9', '--contract', CONTRACT, '--model', 'transformer', '--schema', fileURLToPath(new URL('../../../../examples/breast-cancer/schema.json', import.meta.url)), '--store-in', '/tmp/x'])
    expect(failure.code).toBe(1)
    expect(failure.stderr).toContain('--model')
  })

  it('task create refuses an unreachable DP budget before creating the store or touching the chain', async () => {
    const storeIn = join(await mkdtemp(join(tmpdir(), 'fedchain-task-')), 'store')
    const schema = fileURLToPath(new URL('../../../../examples/breast-cancer/schema.json', import.meta.url))
    const failure = await fail(['task', 'create', '--rpc', 'http://127.0.0.1:9', '--contract', CONTRACT, '--model', 'breast-cancer', '--schema', schema, '--store-in', storeIn, '--dp-epsilon', '0.01'])
    expect(failure.code).toBe(1)
    expect(failure.stderr).toContain('error: a DP budget of ε = 0.01 is unreachable at δ = 0.00001')
    expect(existsSync(storeIn)).toBe(false)
  })

  it('task create refuses a --validation CSV that does not follow the task schema before creating the store or touching the chain', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fedchain-task-'))
    const storeIn = join(dir, 'store')
    const schema = fileURLToPath(new URL('../../../../examples/breast-cancer/schema.json', import.meta.url))
    const validation = join(dir, 'validation.csv')
    await writeFile(validation, 'mean_radius,malignant\n12.5,1\n')
    const args = ['task', 'create', '--rpc', 'http://127.0.0.1:9', '--contract', CONTRACT, '--model', 'breast-cancer', '--schema', schema, '--store-in', storeIn]
    const failure = await fail([...args, '--validation', validation])
    expect(failure.code).toBe(1)
    expect(failure.stderr).toContain(`error: --validation does not match the task's schema: ${validation} lacks columns mean_texture, `)
    expect(failure.stderr).toContain("hint: the schema 'breast-cancer' needs these columns; rename them in the export or fix the schema; the --validation CSV must follow the task's schema")
    expect(existsSync(storeIn)).toBe(false)

    const missing = await fail([...args, '--validation', join(dir, 'nope.csv')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(`error: --validation cannot read ${join(dir, 'nope.csv')} (ENOENT)`)

    const unknown = await fail([...args, '--standardization', join(dir, 'z-score')])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain(`error: --standardization must be validation, local or JSON files; cannot read ${join(dir, 'z-score')} (ENOENT)`)
    const unfit = await fail([...args, '--standardization', 'validation'])
    expect(unfit.code).toBe(1)
    expect(unfit.stderr).toContain('error: --standardization validation needs a --validation CSV to fit the statistics on')
    // A statistics file must hold one mean and one positive std per schema feature (30 here).
    const stats = join(dir, 'stats.json')
    await writeFile(stats, JSON.stringify({ mean: [0, 0], std: [1, 1] }))
    const short = await fail([...args, '--standardization', stats])
    expect(short.code).toBe(1)
    expect(short.stderr).toContain(`error: --standardization ${stats}: mean must hold one number per feature (30)`)
    await writeFile(stats, JSON.stringify({ mean: Array(30).fill(0), std: Array(30).fill(1) }))
    const accepted = await fail([...args, '--standardization', stats])
    // Accepted: the command went on to the chain, which is not there.
    expect(accepted.stderr).not.toContain('--standardization')
    expect(accepted.stderr).toContain('http://127.0.0.1:9')
    expect(accepted.stderr).not.toContain('note:')
    // Without either, the owner is told what each node will do instead.
    const plain = await fail(args)
    expect(plain.stderr).toContain('note: without --validation or --standardization <stats.json>, each node scales its rows with its own statistics')
    expect(existsSync(storeIn)).toBe(false)
  })

  it("node stats writes a hospital's aggregates, and task create merges every hospital's file into the task's scaling", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fedchain-stats-'))
    const example = new URL('../../../../examples/breast-cancer/', import.meta.url)
    const schema = fileURLToPath(new URL('schema.json', example))
    const [header, ...rows] = (await readFile(new URL('data/wdbc.csv', example), 'utf8')).trim().split('\n')
    const files: string[] = []
    for (const [i, part] of [rows.slice(0, 200), rows.slice(200)].entries()) {
      const csv = join(dir, `h${i}.csv`)
      await writeFile(csv, `${header}\n${part.join('\n')}\n`)
      const dataDir = join(dir, `h${i}`)
      await initNode({ dataDir, data: csv, schema, rpc: 'http://127.0.0.1:9', contract: CONTRACT, password: 'pw', scryptN: 1024 })
      const out = join(dir, `h${i}.stats.json`)
      const { stdout } = await runFedchain(['node', 'stats', '--data-dir', dataDir, '--out', out])
      expect(stdout).toContain(`${i === 0 ? 200 : rows.length - 200} rows × 30 features: means and variances written to ${out}`)
      expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ format: 'fedchain-feature-stats', count: i === 0 ? 200 : rows.length - 200 })
      files.push(out)
    }
    const storeIn = join(dir, 'store')
    const args = ['task', 'create', '--rpc', 'http://127.0.0.1:9', '--contract', CONTRACT, '--model', 'breast-cancer', '--schema', schema, '--store-in', storeIn]
    const merged = await fail([...args, ...files.flatMap((f) => ['--standardization', f])])
    // Accepted: the command went on to the chain, which is not there.
    expect(merged.stderr).not.toContain('--standardization')
    expect(merged.stderr).toContain('http://127.0.0.1:9')
    const mixed = await fail([...args, '--standardization', 'local', '--standardization', files[0] as string])
    expect(mixed.stderr).toContain(`error: --standardization local stands alone; got local, ${files[0]}`)
    const other = join(dir, 'other.json')
    await writeFile(other, JSON.stringify({ ...JSON.parse(await readFile(files[0] as string, 'utf8')), features: ['x'] }))
    const foreign = await fail([...args, '--standardization', files[1] as string, '--standardization', other])
    expect(foreign.stderr).toContain(`error: --standardization ${other} features differ from the task schema's`)
    expect(existsSync(storeIn)).toBe(false)
  })

  it('round launch needs --rpc/--contract or --chain', async () => {
    const failure = await fail(['round', 'launch', '--task', '1'])
    expect(failure.stderr).toContain('--rpc is required')
  })

  it('round launch rejects a bad task id', async () => {
    const failure = await fail(['round', 'launch', '--task', 'abc', '--rpc', 'http://127.0.0.1:9', '--contract', CONTRACT])
    expect(failure.stderr).toContain('--task must be a task id')
  })
})
