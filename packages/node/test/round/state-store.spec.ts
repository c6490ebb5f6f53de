import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { InvalidRoundTransitionError, RoundStateCorruptError, RoundStateStore, type CommitRecord } from '../../src/round/index.js'

const commit: CommitRecord = {
  updateHash: `0x${'11'.repeat(32)}`,
  sampleCount: 91,
  salt: `0x${'22'.repeat(32)}`,
  commitment: `0x${'33'.repeat(32)}`,
  updatePath: '/tmp/update.bin',
}

describe('RoundStateStore', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedchain-round-'))
  })

  it('starts empty and walks a committee member through a round', async () => {
    const store = new RoundStateStore(dir, 'task-1')
    expect(await store.load()).toBeUndefined()
    await store.advance(1, 'training')
    await store.advance(1, 'committed', { commit })
    await store.advance(1, 'shared', { sharedCid: 'bafkreiabc' })
    await store.advance(1, 'verifying')
    await store.advance(1, 'submitted', { submissionTx: '0xaa' })
    const done = await store.advance(1, 'finalized', { finalizeTx: '0xbb' })
    expect(done).toMatchObject({ round: 1, phase: 'finalized', commit, sharedCid: 'bafkreiabc', submissionTx: '0xaa', finalizeTx: '0xbb' })
  })

  it('lets a member still verifying see the round finalize without its verdict, but not a node that never shared', async () => {
    const store = new RoundStateStore(dir, 'task-1')
    await store.advance(1, 'training')
    await store.advance(1, 'committed', { commit })
    await expect(store.advance(1, 'finalized')).rejects.toBeInstanceOf(InvalidRoundTransitionError)
    await store.advance(1, 'shared', { sharedCid: 'bafkreiabc' })
    await store.advance(1, 'verifying')
    expect((await store.advance(1, 'finalized', { finalizeTx: '0xbb' })).phase).toBe('finalized')
  })

  it('survives a restart: a new store on the same dir sees the commitment and its salt', async () => {
    await new RoundStateStore(dir, 'task-1').advance(2, 'training')
    await new RoundStateStore(dir, 'task-1').advance(2, 'committed', { commit })
    const resumed = await new RoundStateStore(dir, 'task-1').load()
    expect(resumed?.phase).toBe('committed')
    expect(resumed?.commit?.salt).toBe(commit.salt)
    expect((await stat(new RoundStateStore(dir, 'task-1').path)).mode & 0o777).toBe(0o600)
  })

  it('refuses to commit twice in one round', async () => {
    const store = new RoundStateStore(dir, 't')
    await store.advance(3, 'training')
    await store.advance(3, 'committed', { commit })
    await expect(store.advance(3, 'committed', { commit })).rejects.toBeInstanceOf(InvalidRoundTransitionError)
    await expect(store.advance(3, 'training')).rejects.toBeInstanceOf(InvalidRoundTransitionError)
  })

  it('refuses to go back to an older round or to enter a round mid-way', async () => {
    const store = new RoundStateStore(dir, 't')
    await store.advance(5, 'training')
    await expect(store.advance(4, 'training')).rejects.toBeInstanceOf(InvalidRoundTransitionError)
    await expect(store.advance(6, 'shared')).rejects.toBeInstanceOf(InvalidRoundTransitionError)
    expect((await store.advance(6, 'training')).round).toBe(6)
  })

  it('allows an abort from any live phase and a fresh start after it', async () => {
    const store = new RoundStateStore(dir, 't')
    await store.advance(1, 'training')
    await store.advance(1, 'committed', { commit })
    await store.advance(1, 'aborted')
    await expect(store.advance(1, 'shared')).rejects.toBeInstanceOf(InvalidRoundTransitionError)
    expect((await store.advance(2, 'training')).phase).toBe('training')
  })

  it('reports a corrupt or foreign state file instead of guessing', async () => {
    const store = new RoundStateStore(dir, 't')
    await store.advance(1, 'training')
    await writeFile(store.path, '{"version": 1, "taskId": "t", "round": 1, "phase": "committed"')
    await expect(store.load()).rejects.toBeInstanceOf(RoundStateCorruptError)
    await writeFile(store.path, JSON.stringify({ version: 9, taskId: 't', round: 1, phase: 'idle' }))
    await expect(store.load()).rejects.toThrow(/unknown version 9/)
    await writeFile(store.path, JSON.stringify({ version: 1, taskId: 't', round: 1, phase: 'committed' }))
    await expect(store.load()).rejects.toThrow(/without a commit record/)
  })

  it('keeps a DP update’s privacy charge with its commitment until the share, and refuses a malformed one', async () => {
    const store = new RoundStateStore(dir, 't')
    const privacyCharge = { noiseMultiplier: 3.2, sampleRate: 0.11, steps: 9 }
    await store.advance(1, 'training')
    await store.advance(1, 'committed', { commit: { ...commit, privacyCharge } })
    expect((await new RoundStateStore(dir, 't').load())?.commit?.privacyCharge).toEqual(privacyCharge)
    // Unreadable, the charge cannot be made at share time: the state is reported, not guessed.
    const saved = JSON.parse(await readFile(store.path, 'utf8')) as { commit: Record<string, unknown> }
    await writeFile(store.path, JSON.stringify({ ...saved, commit: { ...saved.commit, privacyCharge: { noiseMultiplier: 3.2, sampleRate: 2, steps: 9 } } }))
    await expect(store.load()).rejects.toThrow(/commit\.privacyCharge is malformed/)
  })

  it('leaves no temp files behind', async () => {
    const store = new RoundStateStore(dir, 't')
    await store.advance(1, 'training')
    const text = await readFile(store.path, 'utf8')
    expect(JSON.parse(text)).toMatchObject({ version: 1, phase: 'training' })
    const { readdir } = await import('node:fs/promises')
    expect((await readdir(join(dir, 'tasks', 't'))).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })
})
