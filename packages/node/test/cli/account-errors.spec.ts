import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { connectFedToken, TASK_CREATOR_ROLE, WAD } from '@fedchain/aggregator-contract'
import { Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectRpc } from '../../src/chain/provider.js'
import { describeSendError } from '../../src/cli/chain-checks.js'
import { AccountUnfundedError, TransactionRejectedError } from '../../src/cli/errors.js'
import { writeChainFile } from '../../src/config/chain-file.js'
import { startDevChain, type DevChain } from '../../src/daemon/dev-chain.js'
import { createAggregatorClient } from '../../src/protocol/aggregator-client.js'

const run = promisify(execFile)
const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))
const POOR_KEY = `0x${'11'.repeat(32)}`
const POOR = new Wallet(POOR_KEY).address
const POOR_CREATOR_KEY = `0x${'22'.repeat(32)}`
const POOR_CREATOR = new Wallet(POOR_CREATOR_KEY).address

type Outcome = { code: number; stdout: string; stderr: string }
const fedchain = (args: string[], env: NodeJS.ProcessEnv) =>
  run(process.execPath, [main, ...args], { env: { ...process.env, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: unknown) => e as Outcome,
  )

describe('CLI transactions from accounts that cannot pay or are not allowed', () => {
  let chain: DevChain
  let dir: string
  let chainFile: string
  let governanceKey: string
  let fundedKey: string
  let creator: { address: string; privateKey: string }

  beforeAll(async () => {
    chain = await startDevChain({ port: 0, accounts: 4, autoAdmit: false })
    dir = await mkdtemp(join(tmpdir(), 'fedchain-cli-accounts-'))
    chainFile = join(dir, 'chain.json')
    await writeChainFile(chainFile, chain.file)
    const [governance, funded, hospital, withoutTokens] = chain.file.devAccounts?.accounts ?? []
    governanceKey = governance?.privateKey ?? ''
    fundedKey = funded?.privateKey ?? ''
    creator = { address: withoutTokens?.address ?? '', privateKey: withoutTokens?.privateKey ?? '' }
    // One active hospital, so that rounds can open.
    const signers = chain.served.chain.signers
    const stake = 100n * WAD
    await (await connectFedToken(chain.file.token, signers[0]!).getFunction('mint')(hospital?.address, stake)).wait()
    await (await connectFedToken(chain.file.token, signers[2]!).getFunction('approve')(chain.file.aggregator, stake)).wait()
    const client = await createAggregatorClient({ address: chain.file.aggregator, signer: signers[2]! })
    await client.applyForMembership('peer-h', randomBytes(32), [], stake)
    await chain.governance.admitHospital(hospital?.address ?? '')
    // A task creator without ether, and one with ether but no FED for the reward escrow.
    await (await chain.governance.contract.getFunction('grantRole')(TASK_CREATOR_ROLE, POOR_CREATOR)).wait()
    await (await chain.governance.contract.getFunction('grantRole')(TASK_CREATOR_ROLE, creator.address)).wait()
  }, 60_000)

  afterAll(async () => {
    await chain.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('task create from an unfunded key without the role says so, names the address and the fix, and stores nothing', async () => {
    const store = join(dir, 'store-poor')
    const failure = await fedchain(['task', 'create', '--chain', chainFile, '--model', 'breast-cancer', '--key-env', 'POORKEY', '--store-in', store], { POORKEY: POOR_KEY })
    expect(failure.code).toBe(1)
    expect(failure.stderr).toContain(`error: account ${POOR} cannot create a task: it lacks the task-creator role, and it holds no ether to pay for gas\n`)
    expect(failure.stderr).toContain(`hint: use a key that holds the role, such as the governance key of ${chain.file.governance}`)
    expect(failure.stderr).not.toContain('coalesce')
    expect(await readdir(dir)).not.toContain('store-poor')
  }, 30_000)

  it('task create from a funded key without the role', async () => {
    const failure = await fedchain(['task', 'create', '--chain', chainFile, '--model', 'breast-cancer', '--key-env', 'FUNDED', '--store-in', join(dir, 'store-funded')], { FUNDED: fundedKey })
    expect(failure.stderr).toContain(`cannot create a task: it lacks the task-creator role\n`)
  }, 30_000)

  it('task create from a task creator without ether says to fund it', async () => {
    const failure = await fedchain(['task', 'create', '--chain', chainFile, '--model', 'breast-cancer', '--key-env', 'POORKEY', '--store-in', join(dir, 'store-creator')], { POORKEY: POOR_CREATOR_KEY })
    expect(failure.code).toBe(1)
    expect(failure.stderr).toContain(`error: account ${POOR_CREATOR} cannot create a task: it holds no ether to pay for gas\n`)
    expect(failure.stderr).toContain(`hint: send some ether to ${POOR_CREATOR} for gas, or put a funded key in POORKEY (or name another variable with --key-env)`)
  }, 30_000)

  it('task create from a task creator without FED for the escrow says how much is missing', async () => {
    const failure = await fedchain(['task', 'create', '--chain', chainFile, '--model', 'breast-cancer', '--key-env', 'CREATOR', '--store-in', join(dir, 'store-escrow')], { CREATOR: creator.privateKey })
    expect(failure.code).toBe(1)
    expect(failure.stderr).toContain(`error: account ${creator.address} cannot create a task: it holds 0.0 FED, the reward escrow (--reward × --rounds) is 5000.0 FED\n`)
    expect(failure.stderr).toContain(`hint: send 5000.0 FED to ${creator.address}, lower --reward or --rounds`)
    expect(await readdir(dir)).not.toContain('store-escrow')
  }, 30_000)

  it('node admit with a key that is not governance', async () => {
    const failure = await fedchain(['node', 'admit', '--chain', chainFile, '--address', POOR], { FEDCHAIN_GOVERNANCE_KEY: fundedKey })
    expect(failure.code).toBe(1)
    expect(failure.stderr).toContain(`cannot admit a hospital: it is not the consortium's governance account (${chain.file.governance})\n`)
  }, 30_000)

  it('round launch while a round is open names the status and says what to do', async () => {
    const env = { FEDCHAIN_OWNER_KEY: governanceKey }
    const created = await fedchain(['task', 'create', '--chain', chainFile, '--model', 'breast-cancer', '--rounds', '1', '--store-in', join(dir, 'store-gov'), '--json'], env)
    expect(created.code).toBe(0)
    const { taskId } = JSON.parse(created.stdout.trim()) as { taskId: string }
    expect((await fedchain(['round', 'launch', '--chain', chainFile, '--task', taskId], env)).code).toBe(0)
    const failure = await fedchain(['round', 'launch', '--chain', chainFile, '--task', taskId], env)
    expect(failure.code).toBe(1)
    expect(failure.stderr).toContain(`error: contract reverted with AggregatorTaskNotReady(taskId=${taskId}, status=round-open)\n`)
    expect(failure.stderr).toMatch(/hint: a round of task \d+ is still open: .*`fedchain status .*`fedchain round launch --wait`/)
  }, 60_000)

  it('describes what the RPC answers when an unfunded account sends anyway', async () => {
    const provider = await connectRpc({ url: chain.file.rpc })
    try {
      const error = await new Wallet(POOR_KEY, provider).sendTransaction({ to: chain.file.governance, value: 0n, gasLimit: 21_000n }).catch((e: unknown) => e)
      const described = describeSendError(error, { address: POOR, action: 'open a round', keyEnv: 'FEDCHAIN_OWNER_KEY' })
      expect(described).toBeInstanceOf(AccountUnfundedError)
      expect(described).toMatchObject({ code: 'ACCOUNT_UNFUNDED', shortMessage: `account ${POOR} cannot open a round: it holds too little ether to pay for gas` })
      // An RPC error ethers cannot classify keeps the chain's own words.
      const unknown = Object.assign(new Error('could not coalesce error'), { code: 'UNKNOWN_ERROR', error: { code: -32000, message: 'nonce too low' } })
      expect(describeSendError(unknown, { address: POOR, action: 'open a round', keyEnv: 'K' })).toBeInstanceOf(TransactionRejectedError)
    } finally {
      provider.destroy()
    }
  }, 30_000)
})
