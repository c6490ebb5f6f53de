/** 1e18 as a float: converts the chain's WAD fixed point to numbers. */
export const WAD_FLOAT = 1e18

/** How often the daemon reads the chain state, ms. */
export const DEFAULT_POLL_MS = 1_000

/** Longest wait between retries while the RPC endpoint is unreachable, ms. */
export const MAX_RPC_BACKOFF_MS = 15_000

/** Seconds added to a deadline before acting on it, for clock skew between node and chain. */
export const DEADLINE_MARGIN_S = 1

/** Attempts at fetching a shared update from peers before a committee member judges it unopened. */
export const FETCH_ATTEMPTS = 3

/** Pause between those attempts, ms. */
export const FETCH_RETRY_MS = 500
