import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { connectRpc, isTransientRpcError, RpcUnreachableError } from '../../src/chain/index.js'

describe('connectRpc', () => {
  it('names the URL and the fix when nothing listens', async () => {
    const failure = await connectRpc({ url: 'http://127.0.0.1:9' }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(RpcUnreachableError)
    expect((failure as RpcUnreachableError).shortMessage).toContain('http://127.0.0.1:9')
    expect((failure as RpcUnreachableError).hint).toContain('fedchain chain start')
    expect(isTransientRpcError(failure)).toBe(true)
  })

  it('refuses an endpoint that is not JSON-RPC', async () => {
    const server = createServer((_req, res) => res.end('<html>hello</html>'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      await expect(connectRpc({ url })).rejects.toBeInstanceOf(RpcUnreachableError)
    } finally {
      server.close()
    }
  })

  it('pins the chain id it was given', async () => {
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        const { id } = JSON.parse(body) as { id: number }
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ jsonrpc: '2.0', id, result: '0x539' }))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      const provider = await connectRpc({ url })
      expect((await provider.getNetwork()).chainId).toBe(1337n)
      provider.destroy()
    } finally {
      server.close()
    }
  })
})
