import { createRequire } from 'node:module'
import hardhatEthers from '@nomicfoundation/hardhat-ethers'
import { defineConfig } from 'hardhat/config'

const require = createRequire(import.meta.url)

/**
 * Offline build: the compiler is the `solc` npm package (soljson), never a download.
 * viaIR + optimizer because the round functions are storage-bound and IR packs better.
 */
export default defineConfig({
  plugins: [hardhatEthers],
  solidity: {
    version: '0.8.37',
    path: require.resolve('solc/soljson.js'),
    settings: {
      evmVersion: 'cancun',
      viaIR: true,
      optimizer: { enabled: true, runs: 200 },
    },
  },
})
