import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Eip1193Provider } from 'ethers'
import { AggregatorError } from './errors.js'
import { startEmbeddedChain } from './embedded.js'
import type { EmbeddedChain, EmbeddedChainInit } from './embedded.js'

/** Options of {@link serveEmbeddedChain}. */
export interface ServeEmbeddedChainInit extends EmbeddedChainInit {
  /** TCP port; 0 picks a free one. @default 8545 */
  readonly port?: number
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string
  /** Largest accepted request body, bytes. @default 8 MiB */
  readonly maxBodyBytes?: number
}

/** A running embedded chain served over HTTP JSON-RPC. */
export interface ServedEmbeddedChain {
  /** e.g. `http://127.0.0.1:8545` — give it to any JSON-RPC client (`--rpc`). */
  readonly url: string
  readonly port: number
  readonly chain: EmbeddedChain
  /** Stops the server, then the chain. */
  close(): Promise<void>
}

interface JsonRpcRequest {
  readonly jsonrpc?: string
  readonly id?: unknown
  readonly method?: unknown
  readonly params?: unknown
}

async function answer(provider: Eip1193Provider, request: JsonRpcRequest): Promise<object> {
  const id = request.id ?? null
  if (typeof request.method !== 'string') {
    return { jsonrpc: '2.0', id, error: { code: -32600, message: 'invalid request: method must be a string' } }
  }
  try {
    const params = Array.isArray(request.params) ? request.params : []
    const result = await provider.request({ method: request.method, params })
    return { jsonrpc: '2.0', id, result: result ?? null }
  } catch (error) {
    const record = (error ?? {}) as { code?: unknown; message?: unknown; data?: unknown }
    return {
      jsonrpc: '2.0',
      id,
      error: {
        code: typeof record.code === 'number' ? record.code : -32603,
        message: typeof record.message === 'string' ? record.message : String(error),
        ...(record.data === undefined ? {} : { data: record.data }),
      },
    }
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        reject(new Error(`request body larger than ${limit} bytes`))
        req.destroy()
      } else chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, (_key, value: unknown) =>
    typeof value === 'bigint' ? `0x${value.toString(16)}` : value,
  )
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(text)
}

/**
 * Starts the embedded chain and serves it as HTTP JSON-RPC (single and batch requests), like
 * `hardhat node`, on 127.0.0.1 by default — for `fedchain chain start` and multi-process runs.
 * @throws AggregatorError `RPC_LISTEN_FAILED` when the port cannot be bound
 */
export async function serveEmbeddedChain(init: ServeEmbeddedChainInit = {}): Promise<ServedEmbeddedChain> {
  const chain = await startEmbeddedChain(init)
  const limit = init.maxBodyBytes ?? 8 * 1024 * 1024
  const server = createServer((req, res) => {
    if (req.method !== 'POST') {
      send(res, 405, { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'use POST' } })
      return
    }
    readBody(req, limit)
      .then(async (body) => {
        let parsed: unknown
        try {
          parsed = JSON.parse(body)
        } catch {
          send(res, 200, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } })
          return
        }
        if (Array.isArray(parsed)) {
          const answers = []
          // Sequential on purpose: a batch of dependent transactions must keep its order.
          for (const item of parsed) answers.push(await answer(chain.eip1193, item as JsonRpcRequest))
          send(res, 200, answers)
        } else {
          send(res, 200, await answer(chain.eip1193, parsed as JsonRpcRequest))
        }
      })
      .catch((error: unknown) => {
        send(res, 413, { jsonrpc: '2.0', id: null, error: { code: -32600, message: String(error) } })
      })
  })
  const host = init.host ?? '127.0.0.1'
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(init.port ?? 8545, host, () => resolve())
    })
  } catch (cause) {
    await chain.stop()
    throw new AggregatorError({
      code: 'RPC_LISTEN_FAILED',
      shortMessage: `could not listen on ${host}:${init.port ?? 8545}`,
      hint: 'choose another port (0 picks a free one) or stop the process using it',
      cause,
    })
  }
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://${host}:${port}`,
    port,
    chain,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await chain.stop()
    },
  }
}
