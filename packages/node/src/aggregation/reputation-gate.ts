/**
 * The two reputation thresholds every verifier applies, so a simulated committee and a node
 * daemon's committee judge the same updates the same way.
 */

/** Reputation (0…1) below which an update is rejected without being verified ('low-reputation'). */
export const MIN_REPUTATION = 0.3

/**
 * Reputation from which a hospital's update joins the verification reference (median norm and
 * median direction): a newcomer's score, the subjective-logic base rate.
 */
export const ESTABLISHED_REPUTATION = 0.5

/**
 * Ids of the updates that form the verification reference: those at least as trusted as a
 * newcomer. Undefined when there are none, so the reference falls back to every update.
 */
export function establishedIds(updates: readonly { readonly id: string; readonly reputation?: number }[]): ReadonlySet<string> | undefined {
  const ids = new Set(updates.filter((u) => (u.reputation ?? 1) >= ESTABLISHED_REPUTATION).map((u) => u.id))
  return ids.size > 0 ? ids : undefined
}
