/** Default GTG-Shapley sampling budget, in coalition evaluations per participant. */
export const DEFAULT_EVALUATIONS_PER_PLAYER = 50

/** Default within-round truncation ε_i, as a fraction of the round's utility gain. */
export const DEFAULT_WITHIN_ROUND_TOLERANCE = 0.01

/** Default between-round truncation ε_b, in utility units. */
export const DEFAULT_BETWEEN_ROUND_TOLERANCE = 1e-9

/** Default convergence threshold on the mean relative change of the estimates. */
export const DEFAULT_CONVERGENCE_TOLERANCE = 0.01

/** Number of consecutive permutations whose relative change is averaged for convergence. */
export const CONVERGENCE_WINDOW = 3
