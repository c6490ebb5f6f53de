/** One participant's contribution to a round: a flat model delta (local − global). */
export interface ClientUpdate {
  /** Participant id (chain address in the protocol); the sort key that fixes summation order. */
  readonly id: string
  readonly delta: Float32Array
  /** Local training examples, the FedAvg weight. */
  readonly examples: number
  /** Reputation score in [0, 1], used by reputation weighting. @default 1 */
  readonly reputation?: number
}

export interface AggregateParameters {
  readonly round: number
  readonly global: Float32Array
  readonly updates: readonly ClientUpdate[]
}

export interface AggregateResult {
  /** The next global model. */
  readonly global: Float32Array
  /** Ids whose updates entered the aggregate, sorted. */
  readonly selected: readonly string[]
}

/**
 * A server-side aggregation rule, in the spirit of Flower's `Strategy`: optional server state is
 * set up by `initialize` and advanced by each `aggregate` call. Implementations are deterministic:
 * identical inputs give bit-identical outputs regardless of the order of `updates`.
 */
export interface AggregationStrategy {
  readonly name: string
  /** Resets server state (momentum, moments) for a run starting at `global`. */
  initialize?(global: Float32Array): void
  aggregate(parameters: AggregateParameters): AggregateResult
}
