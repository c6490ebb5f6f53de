import { aggregatorContractAbi, decodeContractError, fedTokenAbi } from '@fedchain/aggregator-contract'
import type { Command } from 'commander'
import { Interface, ZeroHash } from 'ethers'
import { describe, expect, it } from 'vitest'
import { createProgram } from '../../src/cli/program.js'
import { DataDirInUseError } from '../../src/config/errors.js'
import { loadLocalData } from '../../src/config/init-node.js'
import { BlobStoreUnreachableError } from '../../src/storage/errors.js'

/** Every long option of every `fedchain` command. */
function cliFlags(): Set<string> {
  const flags = new Set<string>(['--help', '--version'])
  const visit = (command: Command) => {
    for (const option of command.options) if (option.long !== undefined) flags.add(option.long.replace(/^--no-/, '--'))
    command.commands.forEach(visit)
  }
  visit(createProgram())
  return flags
}

const flagsIn = (text: string) => [...text.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((m) => m[0])

describe('hints', () => {
  const known = cliFlags()

  it('name only flags that some fedchain command has', async () => {
    const hints: Record<string, string | undefined> = {
      BlobStoreUnreachableError: new BlobStoreUnreachableError('http://127.0.0.1:5001', 'block/put').hint,
      DataDirInUseError: new DataDirInUseError('/tmp/n', '/tmp/n/keys').hint,
      'loadLocalData (node start)': await loadLocalData('/nonexistent/data.csv', '/nonexistent/schema.json').then(
        () => 'loaded',
        (e: { hint?: string }) => e.hint,
      ),
    }
    for (const abi of [aggregatorContractAbi, fedTokenAbi]) {
      const iface = new Interface(abi)
      iface.forEachError((fragment) => {
        const values = fragment.inputs.map((input) =>
          input.type === 'address' ? ZeroHash.slice(0, 42) : input.type === 'bytes32' ? ZeroHash : input.type === 'bytes' ? '0x' : input.type === 'string' ? '' : input.type === 'bool' ? false : 2n,
        )
        hints[fragment.name] = decodeContractError({ data: iface.encodeErrorResult(fragment, values) })?.hint
      })
    }
    const unknown = Object.entries(hints).flatMap(([name, hint]) => flagsIn(hint ?? '').filter((flag) => !known.has(flag)).map((flag) => `${name}: ${flag}`))
    expect(unknown).toEqual([])
    expect(hints['BlobStoreUnreachableError']).toContain('--ipfs-api')
    expect(hints['DataDirInUseError']).not.toContain('loadNodeIdentity')
    expect(hints['loadLocalData (node start)']).not.toContain('--schema')
  })
})
