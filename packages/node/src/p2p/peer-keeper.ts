import { multiaddr } from '@multiformats/multiaddr'
import { PEER_KEEPER_INTERVAL_MS } from './constants.js'
import type { P2PHost } from './host.js'

/** Options of {@link createPeerKeeper}. */
export interface PeerKeeperInit {
  /** The host that keeps the connections. */
  readonly host: Pick<P2PHost, 'libp2p' | 'connect' | 'peerId'>
  /**
   * The multiaddrs (with `/p2p/<peer id>`) that should stay connected: the on-chain registry plus
   * `--peer`. Called on every tick, so registrations made later are picked up.
   */
  readonly addresses: () => readonly string[] | Promise<readonly string[]>
  /**
   * Time between two passes, milliseconds.
   * @default 2000
   */
  readonly intervalMs?: number
}

/** Keeps a host connected to a changing set of peers. */
export interface PeerKeeper {
  /** Starts the periodic pass (runs one immediately). */
  start(): void
  /** Stops it; connections stay open. */
  stop(): void
  /** Runs one pass now: dials every listed peer that is not connected. Resolves when all dials settled. */
  tick(): Promise<void>
  /** Last dial error per address, cleared when the address connects. */
  failures(): ReadonlyMap<string, Error>
}

/**
 * Dials the listed peers that are not connected, now and every `intervalMs`. Nodes of a cluster
 * start in any order and restart after a crash; a one-off dial at start would leave them
 * partitioned. Addresses without a `/p2p/` peer id and the host's own address are skipped.
 *
 * @example
 * ```ts
 * const keeper = createPeerKeeper({ host, addresses: async () => (await registry.hospitals()).flatMap((h) => h.multiaddrs) })
 * keeper.start()
 * ```
 */
export function createPeerKeeper(init: PeerKeeperInit): PeerKeeper {
  const { host } = init
  const failures = new Map<string, Error>()
  let timer: ReturnType<typeof setInterval> | undefined
  let running: Promise<void> | undefined

  async function pass(): Promise<void> {
    const connected = new Set(host.libp2p.getPeers().map(String))
    const self = host.peerId.toString()
    const addresses = await init.addresses()
    await Promise.all(
      addresses.map(async (address) => {
        let peerId: string | undefined
        try {
          peerId = multiaddr(address).getComponents().findLast((c) => c.name === 'p2p')?.value
        } catch (err) {
          failures.set(address, err as Error)
          return
        }
        if (peerId === undefined || peerId === self) return
        if (connected.has(peerId)) {
          failures.delete(address)
          return
        }
        try {
          await host.connect(address)
          failures.delete(address)
        } catch (err) {
          failures.set(address, err as Error)
        }
      }),
    )
  }

  const tick = (): Promise<void> => {
    // One pass at a time: a slow dial must not pile up passes.
    running ??= pass().finally(() => {
      running = undefined
    })
    return running
  }

  return {
    start() {
      if (timer !== undefined) return
      void tick()
      timer = setInterval(() => void tick(), init.intervalMs ?? PEER_KEEPER_INTERVAL_MS)
      timer.unref?.()
    },
    stop() {
      if (timer !== undefined) clearInterval(timer)
      timer = undefined
    },
    tick,
    failures: () => failures,
  }
}
