/**
 * An in-process stand-in for a Kubo (go-ipfs) daemon's RPC API, for testing `createKuboBlobStore`.
 *
 * No Kubo binary can be installed on CI or dev machines (nothing is downloaded at test time), so
 * this serves the subset of `/api/v0` that kubo-rpc-client 7 sends for `block.put/get/stat/rm`,
 * with the request parsing and response shapes of Kubo 0.2x/0.3x as read from the client's source
 * (`kubo-rpc-client/src/block/*.ts`, `src/lib/core.ts`) and Kubo's `core/commands/block.go`:
 *
 * - every command is a POST; query parameters are the kebab-cased options plus `arg`; options a
 *   command does not define are ignored, as Kubo's command library ignores them (the client sends
 *   `version`, which Kubo's `block/put` does not define);
 * - failures are HTTP 500 with `{"Message":…,"Code":0,"Type":"error"}` (the client's errorHandler
 *   reads `Message`);
 * - `block/put` takes a multipart/form-data body with one `file` part per block and answers one
 *   `{"Key","Size"}` per block; blocks over 1 MiB need `allow-big-block`;
 * - `block/rm` streams one `{"Hash"}` (or `{"Hash","Error"}`) JSON line per CID.
 *
 * Blocks live in a Map keyed by their CIDv1 raw string. Only raw sha2-256 blocks can be put: the
 * blob store never asks for anything else, and a request that does is refused loudly rather than
 * answered with a CID Kubo would not give.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { cidForBytes } from '../../src/storage/index.js'

/** Kubo's `SoftBlockLimit` (`core/commands/cmdutils`): larger blocks need `--allow-big-block`. */
const SOFT_BLOCK_LIMIT = 1024 * 1024

export interface KuboRpcServerOptions {
  /** Serve altered bytes from `block/get` (one byte flipped, or one added to an empty block), like a faulty or lying daemon. */
  readonly corrupt?: boolean
  /**
   * Behave like a daemon connected to the IPFS network: a `block/get` or `block/stat` of a missing
   * block without `offline=true` is searched for (here: held open) until the client gives up or
   * Kubo's `timeout` parameter passes. Default false: like `ipfs daemon --offline`, it fails at once.
   */
  readonly online?: boolean
  /** Largest request body accepted, bytes; larger bodies get HTTP 413. @default 64 MiB */
  readonly maxBodyBytes?: number
}

export interface KuboRpcServer {
  /** Base URL to give `createKuboBlobStore` (`http://127.0.0.1:<port>`). */
  readonly url: string
  /** Stored blocks by CIDv1 raw string (`bafkrei…`). */
  readonly blocks: Map<string, Uint8Array>
  /** Paths of the API calls received, in order (`/api/v0/block/put`, …). */
  readonly requests: string[]
  close(): Promise<void>
}

/** Thrown inside a handler to answer with Kubo's error shape. */
class KuboError extends Error {
  constructor(
    message: string,
    readonly status = 500,
  ) {
    super(message)
  }
}

type Handler = (params: URLSearchParams, req: IncomingMessage, res: ServerResponse) => Promise<void>

/** Starts the stand-in on 127.0.0.1, on a free port. */
export async function startKuboRpcServer(options: KuboRpcServerOptions = {}): Promise<KuboRpcServer> {
  const blocks = new Map<string, Uint8Array>()
  const requests: string[] = []
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024

  /** Kubo's blockstore is keyed by multihash, so a block is found whatever CID version or codec names it. */
  function lookup(cid: CID): Uint8Array | undefined {
    return blocks.get(CID.createV1(raw.code, cid.multihash).toString())
  }

  /**
   * A missing block: an offline request (or an offline daemon) fails at once with Kubo's offline
   * exchange error; an online daemon keeps looking until the request ends.
   */
  async function missing(cid: CID, params: URLSearchParams, req: IncomingMessage): Promise<never> {
    if (options.online === true && !flag(params, 'offline')) {
      const timeoutMs = parseDuration(params.get('timeout'))
      await new Promise<void>((resolve) => {
        req.socket.once('close', resolve)
        if (timeoutMs !== undefined) setTimeout(resolve, timeoutMs).unref()
      })
      throw new KuboError('context deadline exceeded')
    }
    throw new KuboError(`block was not found locally (offline): ipld: could not find ${cid.toString()}`)
  }

  const handlers: Record<string, Handler> = {
    async 'block/put'(params, req, res) {
      // `format` is Kubo's deprecated spelling of `cid-codec`; the client sends `format`.
      const codec = params.get('format') ?? params.get('cid-codec') ?? 'raw'
      const mhtype = params.get('mhtype') ?? 'sha2-256'
      if (codec !== 'raw' || mhtype !== 'sha2-256') throw new KuboError(`this Kubo stand-in stores only raw sha2-256 blocks, not ${codec} ${mhtype}`)
      const body = await readBody(req, maxBodyBytes)
      const files = parseMultipartFiles(body, req.headers['content-type'])
      if (files.length === 0) throw new KuboError('argument "data" is required')
      const lines: string[] = []
      for (const data of files) {
        if (data.length > SOFT_BLOCK_LIMIT && !flag(params, 'allow-big-block')) {
          throw new KuboError(
            "produced block is over 1MiB: big blocks can't be exchanged with other peers. consider using UnixFS for automatic chunking of bigger files, or pass --allow-big-block to override",
          )
        }
        const cid = (await cidForBytes(data)).toString()
        blocks.set(cid, Uint8Array.from(data))
        lines.push(JSON.stringify({ Key: cid, Size: data.length }))
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(lines.join('\n') + '\n')
    },

    async 'block/get'(params, req, res) {
      const cid = argCid(params)
      const block = lookup(cid) ?? (await missing(cid, params, req))
      const bytes = options.corrupt === true ? corrupt(block) : block
      res.writeHead(200, { 'content-type': 'text/plain', 'x-stream-output': '1' }).end(bytes)
    },

    async 'block/stat'(params, req, res) {
      const cid = argCid(params)
      const block = lookup(cid) ?? (await missing(cid, params, req))
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Key: cid.toString(), Size: block.length }) + '\n')
    },

    async 'block/rm'(params, _req, res) {
      const args = params.getAll('arg')
      if (args.length === 0) throw new KuboError('argument "cid" is required')
      const cids = args.map((arg) => parseCid(arg, (err) => `invalid content id: ${arg} (${err})`))
      const force = flag(params, 'force')
      const quiet = flag(params, 'quiet')
      // Kubo validates every argument before answering, then streams one result per CID.
      res.writeHead(200, { 'content-type': 'application/json', 'x-chunked-output': '1', trailer: 'X-Stream-Error' })
      let failed = false
      for (const cid of cids) {
        const key = CID.createV1(raw.code, cid.multihash).toString()
        if (blocks.delete(key) || force) {
          // `--force` ignores a missing block: it is reported as removed.
          if (!quiet) res.write(JSON.stringify({ Hash: cid.toString() }) + '\n')
        } else {
          failed = true
          res.write(JSON.stringify({ Hash: cid.toString(), Error: `ipld: could not find ${cid.toString()}` }) + '\n')
        }
      }
      // A streamed command that fails after answering reports it in the X-Stream-Error trailer.
      if (failed) res.addTrailers({ 'X-Stream-Error': 'some blocks not removed' })
      res.end()
    },
  }

  const server = createServer((req, res) => {
    const { pathname, searchParams } = new URL(req.url ?? '/', 'http://127.0.0.1')
    requests.push(pathname)
    const handler = pathname.startsWith('/api/v0/') ? handlers[pathname.slice('/api/v0/'.length)] : undefined
    if (handler === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found')
      return
    }
    // Kubo refuses GET on the RPC API (CSRF protection); the client always POSTs.
    if (req.method !== 'POST') {
      res.writeHead(405, { 'content-type': 'text/plain' }).end('405 - Method Not Allowed')
      return
    }
    handler(searchParams, req, res).catch((err: unknown) => {
      const status = err instanceof KuboError ? err.status : 500
      if (res.headersSent) {
        res.destroy()
        return
      }
      const message = err instanceof Error ? err.message : String(err)
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ Message: message, Code: 0, Type: 'error' }) + '\n')
      // An oversized body was not read to its end: drop the connection once the answer is out.
      if (status === 413) res.once('finish', () => req.destroy())
    })
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    blocks,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err === undefined ? resolve() : reject(err)))
        // kubo-rpc-client uses a keep-alive agent; idle sockets would keep close() waiting.
        server.closeAllConnections()
      }),
  }
}

/** The single `arg` CID of get/stat. */
function argCid(params: URLSearchParams): CID {
  const arg = params.get('arg')
  if (arg === null) throw new KuboError('argument "cid" is required')
  return parseCid(arg, (err) => `invalid path ${JSON.stringify(arg)}: ${err}`)
}

function parseCid(arg: string, message: (err: string) => string): CID {
  try {
    return CID.parse(arg)
  } catch (err) {
    throw new KuboError(message(err instanceof Error ? err.message : String(err)))
  }
}

/** Kubo's boolean options: present without a value, or a strconv.ParseBool true. */
function flag(params: URLSearchParams, name: string): boolean {
  const value = params.get(name)
  return value !== null && /^(|1|t|true)$/i.test(value)
}

/** Kubo's global `timeout` option is a Go duration; the client sends e.g. `30000ms`. Only ms and s are understood here. */
function parseDuration(value: string | null): number | undefined {
  const match = value === null ? null : /^(\d+(?:\.\d+)?)(ms|s)$/.exec(value)
  if (match === null) return undefined
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1)
}

function corrupt(block: Uint8Array): Uint8Array {
  if (block.length === 0) return Uint8Array.of(0)
  const altered = Uint8Array.from(block)
  altered[0] = altered[0]! ^ 0xff
  return altered
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let length = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length
    if (length > limit) throw new KuboError(`request body over ${limit} bytes (Kubo stand-in limit)`, 413)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/**
 * The file parts of a multipart/form-data body, as kubo-rpc-client writes it
 * (`src/lib/multipart-request.node.ts`): `--boundary`, headers naming the part `file`, `file-1`, …
 * (directories are `application/x-directory` parts, which block/put has no use for), a blank line,
 * the bytes, then `\r\n--boundary` or the closing `\r\n--boundary--`.
 */
function parseMultipartFiles(body: Buffer, contentType: string | undefined): Buffer[] {
  const boundary = /^multipart\/form-data;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '')
  if (boundary === null) throw new KuboError('expected a multipart/form-data body', 400)
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]!}`)
  const files: Buffer[] = []
  let at = body.indexOf(delimiter)
  if (at < 0) throw new KuboError('malformed multipart body: no boundary', 400)
  for (;;) {
    at += delimiter.length
    if (body.subarray(at, at + 2).toString() === '--') return files
    const headersEnd = body.indexOf('\r\n\r\n', at)
    if (headersEnd < 0) throw new KuboError('malformed multipart body: unterminated part headers', 400)
    const headers = body.subarray(at, headersEnd).toString('latin1')
    const start = headersEnd + 4
    const end = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), start)
    if (end < 0) throw new KuboError('malformed multipart body: unterminated part', 400)
    if (/name="file[-?"]/i.test(headers) && !/content-type:\s*application\/x-directory/i.test(headers)) files.push(body.subarray(start, end))
    at = end + 2
  }
}
