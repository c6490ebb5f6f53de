/** Fixed-point scale of reputation values: 1.0 = 10^18. */
export const WAD = 10n ** 18n

/** Basis points in 1.0 (quality scores, committee fee). */
export const BPS = 10_000n

/** Maximum number of hospitals a consortium ever admits (registry indices 0..254). */
export const MAX_HOSPITALS = 255

/** Up to this many active hospitals, every one of them sits on every committee. */
export const FULL_COMMITTEE_THRESHOLD = 7

/** Ethereum's runtime bytecode size limit (EIP-170), in bytes. */
export const MAX_CONTRACT_SIZE = 24_576

/** Role that may create tasks: keccak256("TASK_CREATOR_ROLE"). */
export const TASK_CREATOR_ROLE = '0xce225c1921599e58af8369d5b6bee0b3dc905e80e40aa24a6f04e435f40560db'

/** FedToken's minting role: keccak256("MINTER_ROLE"). */
export const MINTER_ROLE = '0x9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6'

/** Accounts the embedded chain funds by default. */
export const DEFAULT_EMBEDDED_ACCOUNTS = 20

/** Chain id of the embedded chain. */
export const EMBEDDED_CHAIN_ID = 31_337
