import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InvalidArgumentError, LedgerStateError, PrivacyBudgetExceededError, PrivacyBudgetLedger, rdpEpsilon } from '../src/index.js'

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'fedchain-dp-ledger-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

const init = () => ({ directory, taskId: 'task-1', epsilonBudget: 2, delta: 1e-5 })
const round = { noiseMultiplier: 1.1, sampleRate: 0.01, steps: 200 }

describe('PrivacyBudgetLedger', () => {
  it('starts empty and charges steps, reporting ε spent', async () => {
    const ledger = await PrivacyBudgetLedger.open(init())
    expect(ledger.epsilonSpent).toBe(0)
    const result = await ledger.charge({ ...round, label: 'round 1' })
    const expected = rdpEpsilon({ ...round, delta: 1e-5 }).epsilon
    expect(result.epsilonSpent).toBe(expected)
    expect(result.epsilonRemaining).toBeCloseTo(2 - expected, 12)
    expect(ledger.entries).toMatchObject([{ ...round, label: 'round 1', epsilonAfter: expected }])
  })

  it('refuses, before recording anything, a step that would overshoot the budget', async () => {
    const ledger = await PrivacyBudgetLedger.open(init())
    let charged = 0
    let refusal: unknown
    for (let i = 0; i < 100; i++) {
      const before = ledger.epsilonSpent
      const preview = ledger.epsilonAfter(round)
      try {
        await ledger.charge(round)
        charged++
        expect(ledger.epsilonSpent).toBe(preview)
      } catch (error) {
        refusal = error
        expect(ledger.epsilonSpent).toBe(before)
        expect(preview).toBeGreaterThan(2)
        break
      }
    }
    expect(charged).toBeGreaterThan(0)
    expect(refusal).toBeInstanceOf(PrivacyBudgetExceededError)
    const error = refusal as PrivacyBudgetExceededError
    expect(error.code).toBe('DP_BUDGET_EXCEEDED')
    expect(error.epsilonBudget).toBe(2)
    expect(error.epsilonSpent).toBe(ledger.epsilonSpent)
    expect(error.epsilonRequested).toBeGreaterThan(2)
    expect(error.message).toMatch(/task task-1: this step would raise ε from [\d.]+ to [\d.]+, over the budget ε = 2\.0000/)
    expect(ledger.epsilonSpent).toBeLessThanOrEqual(2)
    expect(ledger.entries).toHaveLength(charged)
    expect(ledger.canCharge(round)).toBe(false)
    expect(ledger.canCharge({ ...round, noiseMultiplier: 50, steps: 1 })).toBe(true)
  })

  it('persists across restarts and keeps refusing after one', async () => {
    const first = await PrivacyBudgetLedger.open(init())
    await first.charge(round)
    await first.charge({ ...round, noiseMultiplier: 0.9, steps: 100 })
    const reopened = await PrivacyBudgetLedger.open(init())
    expect(reopened.epsilonSpent).toBe(first.epsilonSpent)
    expect(reopened.entries).toEqual(first.entries)
    await expect(reopened.charge({ ...round, noiseMultiplier: 0.5, steps: 5000 })).rejects.toBeInstanceOf(PrivacyBudgetExceededError)
    const again = await PrivacyBudgetLedger.open(init())
    expect(again.entries).toHaveLength(2)
  })

  it('writes atomically: valid JSON, no temporary files left behind', async () => {
    const ledger = await PrivacyBudgetLedger.open(init())
    await Promise.all([ledger.charge(round), ledger.charge(round), ledger.charge(round)])
    expect(await readdir(directory)).toEqual(['task-1.json'])
    const file = JSON.parse(await readFile(join(directory, 'task-1.json'), 'utf8')) as { entries: unknown[] }
    expect(file.entries).toHaveLength(3)
  })

  it('serializes concurrent charges so that they cannot jointly overshoot', async () => {
    // A budget between ε after 3 and after 4 rounds: exactly 3 of 20 concurrent charges fit.
    const after = (rounds: number) => rdpEpsilon({ ...round, steps: rounds * round.steps, delta: 1e-5 }).epsilon
    const epsilonBudget = (after(3) + after(4)) / 2
    const ledger = await PrivacyBudgetLedger.open({ ...init(), epsilonBudget })
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => ledger.charge(round)))
    const accepted = results.filter((r) => r.status === 'fulfilled').length
    expect(accepted).toBe(3)
    expect(ledger.epsilonSpent).toBeLessThanOrEqual(epsilonBudget)
    expect(ledger.accountant.totalSteps).toBe(3 * round.steps)
  })

  it('keeps one file per task', async () => {
    const a = await PrivacyBudgetLedger.open(init())
    const b = await PrivacyBudgetLedger.open({ ...init(), taskId: 'task-2' })
    await a.charge(round)
    expect(b.epsilonSpent).toBe(0)
    expect((await readdir(directory)).sort()).toEqual(['task-1.json', 'task-2.json'])
  })

  it('refuses a file created with another budget, or a corrupted file', async () => {
    await PrivacyBudgetLedger.open(init())
    await expect(PrivacyBudgetLedger.open({ ...init(), epsilonBudget: 5 })).rejects.toBeInstanceOf(LedgerStateError)
    await writeFile(join(directory, 'task-1.json'), '{"format": "fedchain-privacy-ledger", "vers')
    await expect(PrivacyBudgetLedger.open(init())).rejects.toThrow(/not valid JSON/)
    await writeFile(
      join(directory, 'task-1.json'),
      JSON.stringify({ format: 'fedchain-privacy-ledger', version: 1, taskId: 'task-1', epsilonBudget: 2, delta: 1e-5, entries: [{ noiseMultiplier: 1, sampleRate: 7, steps: 1 }] }),
    )
    await expect(PrivacyBudgetLedger.open(init())).rejects.toMatchObject({ code: 'DP_LEDGER_STATE_INVALID' })
  })

  it('rejects bad arguments with an error naming them', async () => {
    await expect(PrivacyBudgetLedger.open({ ...init(), taskId: '../escape' })).rejects.toThrow(/taskId/)
    await expect(PrivacyBudgetLedger.open({ ...init(), epsilonBudget: 0 })).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(PrivacyBudgetLedger.open({ ...init(), delta: 1 })).rejects.toThrow(/delta/)
    const ledger = await PrivacyBudgetLedger.open(init())
    await expect(ledger.charge({ noiseMultiplier: -1, sampleRate: 0.1 })).rejects.toThrow(/noiseMultiplier/)
    await expect(ledger.charge({ noiseMultiplier: 1, sampleRate: 0 })).rejects.toThrow(/sampleRate/)
  })
})
