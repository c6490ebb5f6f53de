import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** The Solidity compiler the contracts are built with: the `solc` npm package (soljson, offline). */
export interface SolidityCompilerInfo {
  /** Short version, e.g. `0.8.37`. */
  readonly version: string
  /** Absolute path of the compiler's `soljson.js`. */
  readonly path: string
}

/**
 * Locates the bundled Solidity compiler without loading it (loading soljson takes seconds).
 * @throws when the `solc` package is not installed
 */
export function solidityCompiler(): SolidityCompilerInfo {
  const manifest = require('solc/package.json') as { version: string }
  return { version: manifest.version, path: require.resolve('solc/soljson.js') }
}
