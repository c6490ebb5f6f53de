import { connectAggregator, HospitalStatus, readHospitalCount, readTaskCount } from '@fedchain/aggregator-contract'
import { LedgerStateError, type DpError } from '@fedchain/dp'
import { peerIdFromString } from '@libp2p/peer-id'
import type { JsonRpcProvider } from 'ethers'
import { isTransientRpcError } from '../chain/provider.js'
import { loadLocalData } from '../config/init-node.js'
import { readNodeConfig, type NodeConfig } from '../config/node-config.js'
import { loadNodeIdentity, type NodeIdentity } from '../crypto/identity.js'
import { FedchainError } from '../errors.js'
import { DatasetError } from '../learning/errors.js'
import { ensureBackend } from '../learning/tf.js'
import { createP2PHost, type P2PHost } from '../p2p/host.js'
import { createAggregatorClient, type HospitalRecord } from '../protocol/aggregator-client.js'
import type { NodeStatusState } from '../report/status-page.js'
import { RoundStateCorruptError } from '../round/state-store.js'
import { announcerFirst, createBlobExchange, createNetworkedBlobStore, openNodeBlobStore } from '../storage/index.js'
import { DEFAULT_POLL_MS, MAX_RPC_BACKOFF_MS, WAD_FLOAT } from './constants.js'
import { DaemonStoppedError, TaskIncompatibleError } from './errors.js'
import { createLogger, type DaemonLogger } from './logger.js'
import { connectRpc } from '../chain/provider.js'
import { abortableSleep, ensureMembership } from './membership.js'
import { startStatusServer, type StatusServer } from './status-server.js'
import { watchBlocks } from './block-wakeup.js'
import { createTaskDriver, type TaskDriver } from './task-driver.js'
import { createNodeGossip } from './node-gossip.js'

/** The chain address has no contract: wrong --contract or wrong chain. */
export class ContractMissingError extends FedchainError {
  constructor(address: string, rpc: string) {
    super('CONTRACT_MISSING', `no contract at ${address} on ${rpc}`, {
      details: { address, rpc },
      hint: 'use the aggregator address that `fedchain chain start` or `chain deploy` printed, on the same chain',
    })
  }
}

/**
 * Local files of a task that the node cannot repair itself (a corrupt round state or privacy
 * ledger, a CSV that no longer loads): retrying cannot help and the file must not be overwritten,
 * so the node stops driving that task until the operator follows the error's hint and restarts it.
 */
function isLocalStateError(error: unknown): error is FedchainError | DpError {
  return error instanceof RoundStateCorruptError || error instanceof LedgerStateError || error instanceof DatasetError
}

/** Options of {@link startNodeDaemon}. */
export interface NodeDaemonInit {
  /** The data dir `fedchain node init` prepared. */
  readonly dataDir: string
  /** Overrides the data dir's `config.json`. */
  readonly config?: NodeConfig
  /** An already loaded identity; else the key files are decrypted with the password. */
  readonly identity?: NodeIdentity
  readonly password?: string
  /** @default 'FEDCHAIN_KEY_PASSWORD' */
  readonly passwordEnv?: string
  readonly env?: NodeJS.ProcessEnv
  /** Follow only this task; all tasks whose schema matches the local data otherwise. */
  readonly taskId?: bigint
  /** Kubo RPC API URL to keep blobs in; overrides the config's `ipfsApi`. */
  readonly ipfsApi?: string
  /** A funded private key (development chains) that sends the node gas and stake tokens when it lacks them. */
  readonly funderKey?: string
  /** Stake to apply with. @default the consortium's minimum stake */
  readonly stake?: bigint
  /** @default DEFAULT_POLL_MS */
  readonly pollMs?: number
  readonly log?: DaemonLogger
  /** Seconds since the epoch (tests). */
  readonly now?: () => number
}

/** A running node. */
export interface NodeDaemon {
  readonly address: string
  readonly peerId: string
  readonly index: number
  readonly statusUrl: string
  readonly multiaddrs: readonly string[]
  status(): NodeStatusState
  /**
   * With `taskId`: resolves when the task is over, and rejects with the error when the node cannot
   * take part in it at all (its schema does not match the local data, or its local state is
   * corrupt), as there is then nothing left to do. Never settles without `taskId`: a task the node
   * cannot follow is logged and skipped, and the node goes on with the others.
   */
  readonly finished: Promise<void>
  /** Stops the round loop, the status endpoint, libp2p and the RPC connection. */
  stop(): Promise<void>
}

/**
 * `fedchain node start`: loads config and identity, connects the RPC, joins the consortium (stake,
 * profile, admission), starts libp2p and the blob exchange, dials the peers registered on chain and
 * drives every followed task's rounds from the chain state until stopped. Crash-safe through the
 * round state store: a node killed at any point and started again resumes the round.
 *
 * @throws {RpcUnreachableError} the RPC endpoint does not answer at start
 * @throws {BlobStoreUnreachableError} `ipfsApi` is set and the Kubo daemon does not answer
 * @throws {ContractMissingError} nothing deployed at the configured address
 */
export async function startNodeDaemon(init: NodeDaemonInit): Promise<NodeDaemon> {
  const config = init.config ?? (await readNodeConfig(init.dataDir))
  const identity =
    init.identity ??
    (await loadNodeIdentity({
      dataDir: init.dataDir,
      ...(init.password === undefined ? {} : { password: init.password }),
      ...(init.passwordEnv === undefined ? {} : { passwordEnv: init.passwordEnv }),
      ...(init.env === undefined ? {} : { env: init.env }),
    }))
  const log = (init.log ?? createLogger()).child({ node: config.name ?? identity.address.slice(0, 10) })
  const { schema } = await loadLocalData(config.data, config.schema)
  const ipfsApi = init.ipfsApi ?? config.ipfsApi
  const { store: local, location: blobLocation } = await openNodeBlobStore({ dataDir: init.dataDir, ...(ipfsApi === undefined ? {} : { ipfsApi }) })
  await ensureBackend()
  const provider: JsonRpcProvider = await connectRpc({ url: config.rpc })
  const cleanup: (() => Promise<void>)[] = [async () => provider.destroy()]
  const runCleanup = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined)
  }
  try {
    if ((await provider.getCode(config.contract)) === '0x') throw new ContractMissingError(config.contract, config.rpc)
    const signer = identity.wallet.connect(provider)
    const client = await createAggregatorClient({ address: config.contract, signer })
    const aggregator = connectAggregator(config.contract, provider)

    // Only hospitals active in the on-chain registry may connect (checked right after the Noise
    // handshake); a peer id not yet known triggers at most one registry refresh per second.
    const registered = new Set<string>()
    // Lower-case address → registered peer id of each active hospital, for gossip senders.
    const peerOfAddress = new Map<string, string>()
    let registryReadAt = 0
    const readRegistry = async (): Promise<HospitalRecord[]> => {
      const count = await readHospitalCount(aggregator)
      const records: HospitalRecord[] = []
      const addresses: string[] = []
      for (let i = 0; i < count; i++) {
        addresses.push(await client.hospitalAt(i))
        records.push(await client.hospital(addresses[i] as string))
      }
      registered.clear()
      peerOfAddress.clear()
      records.forEach((r, i) => {
        if (r.status !== HospitalStatus.Active || r.peerId === '') return
        registered.add(r.peerId)
        peerOfAddress.set((addresses[i] as string).toLowerCase(), r.peerId)
      })
      registryReadAt = Date.now()
      return records
    }
    const refreshStaleRegistry = async () => {
      if (Date.now() - registryReadAt > 1_000) await readRegistry().catch(() => undefined)
    }
    const isAllowedPeer = async (peerId: string): Promise<boolean> => {
      if (!registered.has(peerId)) await refreshStaleRegistry()
      return registered.has(peerId)
    }
    const registeredPeerOf = async (address: string): Promise<string | undefined> => {
      const key = address.toLowerCase()
      if (!peerOfAddress.has(key)) await refreshStaleRegistry()
      return peerOfAddress.get(key)
    }
    const host: P2PHost = await createP2PHost({ privateKey: identity.libp2pKey, listen: config.listen, isAllowedPeer })
    cleanup.push(() => host.stop())
    const exchange = createBlobExchange({ host: host.libp2p, store: local })
    await exchange.start()
    cleanup.push(() => exchange.stop())
    const drivers = new Map<bigint, TaskDriver>()
    const nodeGossip = createNodeGossip({
      host,
      registeredPeerOf,
      currentRound: (taskId) => {
        const driver = /^\d+$/.test(taskId) ? drivers.get(BigInt(taskId)) : undefined
        return driver?.round
      },
      log,
    })
    cleanup.push(async () => nodeGossip.gossip.close())
    const store = createNetworkedBlobStore({
      local,
      exchange,
      providers: announcerFirst(nodeGossip.announcedBy, () => host.libp2p.getPeers()),
      onHashMismatch: (error, peer) => log.warn('peer served a blob that does not match its CID', { peer: peer.toString(), error }),
    })
    cleanup.push(async () => store.close?.())
    const multiaddrs = host.multiaddrs()
    log.info('libp2p started', { peerId: identity.peerId.toString(), multiaddrs, blobs: blobLocation })

    const controller = new AbortController()
    const index = await ensureMembership({ identity, signer, provider, client, aggregator, multiaddrs, log, signal: controller.signal, ...(init.stake === undefined ? {} : { stake: init.stake }), ...(init.funderKey === undefined ? {} : { funderKey: init.funderKey }) })
    log.info('active hospital', { address: identity.address, index })

    const disabled = new Set<bigint>()
    // Tasks stopped for good, with the reason (shown on the status page).
    const failures = new Map<bigint, FedchainError | DpError>()
    let resolveFinished: () => void = () => undefined
    let rejectFinished: (error: Error) => void = () => undefined
    const finished = new Promise<void>((resolve, reject) => {
      resolveFinished = resolve
      rejectFinished = reject
    })
    // Handled here so that a caller not waiting for the outcome gets no unhandled rejection.
    finished.catch(() => undefined)
    let lastError: string | undefined
    let reputation: number | undefined
    let rewardsWei: bigint | undefined
    const startedAt = new Date().toISOString()

    const dialRegisteredPeers = async () => {
      const extra = config.peers.filter((address) => !host.libp2p.getConnections().some((c) => address.endsWith(c.remotePeer.toString())))
      for (const address of extra) await host.connect(address).catch(() => undefined)
      for (const record of await readRegistry()) {
        if (record.status !== HospitalStatus.Active || record.peerId === '' || record.peerId === identity.peerId.toString()) continue
        if (host.libp2p.getConnections(peerIdFromString(record.peerId)).length > 0) continue
        for (const address of record.multiaddrs) {
          if (await host.connect(address).then(() => true, () => false)) {
            log.debug('connected to peer', { peer: record.peerId, address })
            break
          }
        }
      }
    }

    const followedTasks = async (): Promise<bigint[]> => {
      if (init.taskId !== undefined) return [init.taskId]
      const count = await readTaskCount(aggregator)
      return Array.from({ length: count }, (_, i) => BigInt(i + 1)).filter((id) => !disabled.has(id))
    }

    /** Logged once, with the hint; the task is not driven again (nor its files written). */
    const stopFollowing = (taskId: bigint, error: FedchainError | DpError) => {
      failures.set(taskId, error)
      log.error('stopped following task', { taskId, error, code: error.code, hint: error.hint })
      if (init.taskId === taskId) rejectFinished(error)
    }

    const tickOnce = async (iteration: number) => {
      if (iteration % 5 === 0) await dialRegisteredPeers()
      // One task's failed step must not hold up the others' deadlines: the first error is
      // rethrown once every task had its turn.
      let failed: { error: unknown } | undefined
      for (const taskId of await followedTasks()) {
        let driver = drivers.get(taskId)
        if (driver === undefined) {
          driver = createTaskDriver({ taskId, identity, client, aggregator, store, dataDir: init.dataDir, csvPath: config.data, localSchema: schema, index, log, gossip: nodeGossip.gossip, ...(init.now === undefined ? {} : { now: init.now }) })
          drivers.set(taskId, driver)
        }
        if (driver.done || failures.has(taskId)) continue
        try {
          await driver.tick()
        } catch (error) {
          if (error instanceof TaskIncompatibleError && error.reason !== 'manifest-unavailable') {
            // The task named by --task is the only one to follow: not being able to is the end.
            if (init.taskId === taskId) {
              stopFollowing(taskId, error)
              continue
            }
            disabled.add(taskId)
            log.warn('not following task', { taskId, reason: error.shortMessage, hint: error.hint })
            continue
          }
          if (isLocalStateError(error)) {
            stopFollowing(taskId, error)
            continue
          }
          failed ??= { error }
        }
      }
      if (failed !== undefined) throw failed.error
      if (iteration % 5 === 0) {
        reputation = Number(await client.reputationScore(index)) / WAD_FLOAT
        rewardsWei = await client.claimable(identity.address)
      }
    }

    const blocks = await watchBlocks(provider)
    cleanup.push(() => blocks.stop())
    const loop = (async () => {
      let backoff = 0
      for (let iteration = 0; !controller.signal.aborted; iteration++) {
        try {
          await tickOnce(iteration)
          if (backoff > 0) log.info('rpc reachable again')
          backoff = 0
          lastError = undefined
          if (init.taskId !== undefined && drivers.get(init.taskId)?.done === true) resolveFinished()
          await blocks.wait(init.pollMs ?? DEFAULT_POLL_MS, controller.signal)
        } catch (error) {
          if (error instanceof DaemonStoppedError || controller.signal.aborted) break
          lastError = (error as { shortMessage?: string }).shortMessage ?? (error as Error).message
          if (isTransientRpcError(error)) {
            backoff = Math.min(MAX_RPC_BACKOFF_MS, backoff === 0 ? 500 : backoff * 2)
            log.warn('rpc unavailable, retrying', { inMs: backoff, error: lastError })
          } else {
            backoff = Math.min(MAX_RPC_BACKOFF_MS, (init.pollMs ?? DEFAULT_POLL_MS) * 2)
            log.error('round step failed, retrying', { error: lastError, code: (error as { code?: string }).code, errorName: (error as { errorName?: string }).errorName })
          }
          await abortableSleep(backoff, controller.signal).catch(() => undefined)
        }
      }
    })()

    const status = (): NodeStatusState => {
      const tasks = [...drivers.values()].map((d) => (failures.has(d.taskId) ? { ...d.status(), phase: 'stopped' } : d.status()))
      const problem = lastError ?? [...failures.values()][0]?.shortMessage
      const current = tasks.find((t) => t.taskStatus === 'round-open') ?? tasks.at(-1)
      return {
        node: { address: identity.address, peerId: identity.peerId.toString(), ...(config.name === undefined ? {} : { name: config.name }) },
        phase: current?.phase ?? 'idle',
        ...(current === undefined ? {} : { round: current.round, taskId: current.taskId }),
        peers: host.libp2p.getPeers().length,
        blobs: blobLocation,
        ...(current?.scaling === undefined ? {} : { scaling: current.scaling }),
        gossip: nodeGossip.stats(),
        ...(current === undefined ? {} : { epsilon: { spent: current.epsilonSpent, ...(current.epsilonBudget === undefined ? {} : { budget: current.epsilonBudget, delta: current.delta }) } }),
        ...(reputation === undefined ? {} : { reputation }),
        ...(rewardsWei === undefined ? {} : { rewards: rewardsWei.toString() }),
        updatedAt: new Date().toISOString(),
        ...(problem === undefined ? {} : { lastError: problem }),
        summary: {
          config: { address: identity.address, rpc: config.rpc, contract: config.contract, startedAt, index },
          rounds: (current?.rounds ?? []).map((r) => ({
            round: r.round,
            status: r.status,
            accuracy: r.accuracy,
            loss: r.loss,
            finalizeTx: r.finalizeTx,
            epsilon: { [identity.address]: r.epsilon },
          })),
        },
      }
    }

    const statusServer: StatusServer = await startStatusServer({ port: config.statusPort, status })
    log.info('status endpoint', { url: statusServer.url })

    let stopped = false
    return {
      address: identity.address,
      peerId: identity.peerId.toString(),
      index,
      statusUrl: statusServer.url,
      multiaddrs,
      status,
      finished,
      async stop() {
        if (stopped) return
        stopped = true
        controller.abort()
        await loop
        await statusServer.close()
        await runCleanup()
        log.info('stopped')
      },
    }
  } catch (error) {
    await runCleanup()
    throw error
  }
}
