import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { renderStatusPage, type NodeStatusState } from '../report/status-page.js'
import { StatusListenError } from './errors.js'

/** A running status endpoint. */
export interface StatusServer {
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

/**
 * Serves the node's live status on 127.0.0.1 only: `/` is the HTML status page (self-refreshing,
 * the run report's charts for the rounds so far), `/status.json` the same state as JSON.
 * @throws {StatusListenError} when the port is taken
 */
export async function startStatusServer(init: { readonly port: number; readonly status: () => NodeStatusState }): Promise<StatusServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end()
      return
    }
    try {
      if (path === '/status.json') {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        res.end(JSON.stringify(init.status(), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)))
      } else if (path === '/' || path === '/index.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        res.end(renderStatusPage(init.status()))
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try / or /status.json\n')
      }
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`status unavailable: ${(error as Error).message}\n`)
    }
  })
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(init.port, '127.0.0.1', () => resolve())
    })
  } catch (cause) {
    throw new StatusListenError(init.port, cause)
  }
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
