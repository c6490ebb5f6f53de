/**
 * @packageDocumentation
 * The fedchain aggregator contract and typed helpers over plain ethers v6.
 *
 * @example
 * ```ts
 * import { solidityCompiler } from '@fedchain/aggregator-contract'
 * solidityCompiler().version // → '0.8.37'
 * ```
 */
export { solidityCompiler, type SolidityCompilerInfo } from './compiler.js'
