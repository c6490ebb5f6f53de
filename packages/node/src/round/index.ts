export { ROUND_PHASES, canAdvance, isTerminal, isRoundPhase, type RoundPhase } from './phases.js'
export { RoundStateStore, RoundStateCorruptError, InvalidRoundTransitionError, type RoundState, type CommitRecord, type PrivacyCharge } from './state-store.js'
