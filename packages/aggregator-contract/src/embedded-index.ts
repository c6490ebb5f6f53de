/**
 * @packageDocumentation
 * `@fedchain/aggregator-contract/embedded`: the in-process Hardhat (EDR) chain, optionally served
 * over JSON-RPC. Kept apart from the main entry so that nothing else loads Hardhat.
 *
 * @example
 * ```ts
 * import { startEmbeddedChain } from '@fedchain/aggregator-contract/embedded'
 * import { deployConsortium } from '@fedchain/aggregator-contract'
 * const chain = await startEmbeddedChain({ accounts: 70 })
 * const { aggregator } = await deployConsortium(chain.signers[0]!)
 * await chain.stop()
 * ```
 */
export { EMBEDDED_MNEMONIC, startEmbeddedChain, type EmbeddedChain, type EmbeddedChainInit } from './embedded.js'
export { serveEmbeddedChain, type ServeEmbeddedChainInit, type ServedEmbeddedChain } from './rpc-server.js'
