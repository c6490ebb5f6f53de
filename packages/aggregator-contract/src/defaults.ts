import { WAD } from './constants.js'
import type { ReputationParams, TaskConfig } from './types.js'

/** The reputation parameters of packages/reputation/FIXED_POINT.md. */
export const DEFAULT_REPUTATION_PARAMS: ReputationParams = Object.freeze({
  decay: (WAD * 9n) / 10n,
  weightAccepted: WAD,
  weightRejected: 2n * WAD,
  weightAbsent: WAD / 2n,
  weightDisagreement: WAD,
  priorWeight: 2n * WAD,
  baseRate: WAD / 2n,
})

/** Task defaults for simulations: 60 s phases, committee of 7, no slashing. */
export const DEFAULT_TASK_TIMING = Object.freeze({
  commitDuration: 60,
  shareDuration: 60,
  verifyDuration: 120,
  committeeSize: 7,
  minParticipants: 1,
  committeeFeeBps: 1_000,
  slashAmount: 0n,
}) satisfies Partial<TaskConfig>
