import { chmod, mkdtemp, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkDataDir, checkNodeVersion, checkRpc } from '../src/cli/commands/doctor-checks.js'
import { formatDoctorReport, runDoctor } from '../src/cli/commands/doctor.js'
import { startKuboRpcServer } from './storage/kubo-rpc-server.js'

describe('fedchain doctor', () => {
  let dir: string
  let rpc: Server
  let rpcUrl: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedchain-doctor-'))
    rpc = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString()))
      req.on('end', () => {
        const { id, method } = JSON.parse(body) as { id: number; method: string }
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify(method === 'eth_chainId' ? { jsonrpc: '2.0', id, result: '0x7a69' } : { jsonrpc: '2.0', id, error: { code: -32601, message: 'method not found' } }))
      })
    })
    await new Promise<void>((resolve) => rpc.listen(0, '127.0.0.1', resolve))
    rpcUrl = `http://127.0.0.1:${(rpc.address() as AddressInfo).port}`
  })

  afterAll(() => new Promise<void>((resolve) => rpc.close(() => resolve())))

  it('accepts Node 22.13 and later, refuses older', () => {
    expect(checkNodeVersion('22.13.0').status).toBe('ok')
    expect(checkNodeVersion('24.1.0').status).toBe('ok')
    const old = checkNodeVersion('20.20.2')
    expect(old.status).toBe('fail')
    expect(old.message).toContain('make setup')
  })

  it('reports every backend and finds at least one that loads', async () => {
    const report = await runDoctor({ dataDir: join(dir, 'node-a') })
    const backends = report.checks.filter((c) => c.name.startsWith('tfjs:'))
    expect(backends.map((c) => c.name)).toEqual(['tfjs:node', 'tfjs:wasm', 'tfjs:cpu'])
    expect(backends.some((c) => c.status === 'ok')).toBe(true)
    for (const c of backends) expect(c.message.length).toBeGreaterThan(0)
    expect(report.checks.find((c) => c.name === 'tfjs')?.message).toMatch(/^uses (node|wasm|cpu) \(/)
    expect(report.checks.find((c) => c.name === 'solc')?.message).toMatch(/^0\.8\.\d+ /)
    expect(report.ok).toBe(true)
    expect(formatDoctorReport(report)).toContain('fedchain is ready.')
  })

  it('fails when FEDCHAIN_BACKEND names a backend that does not load or does not exist', async () => {
    const { checkBackends } = await import('../src/cli/commands/doctor-checks.js')
    const saved = process.env['FEDCHAIN_BACKEND']
    try {
      process.env['FEDCHAIN_BACKEND'] = 'gpu'
      expect((await checkBackends()).find((c) => c.name === 'tfjs')).toMatchObject({ status: 'fail', message: expect.stringContaining('FEDCHAIN_BACKEND must be one of') })
      process.env['FEDCHAIN_BACKEND'] = 'cpu'
      expect((await checkBackends()).find((c) => c.name === 'tfjs')).toMatchObject({ status: 'ok', message: 'uses cpu (FEDCHAIN_BACKEND=cpu)' })
    } finally {
      if (saved === undefined) delete process.env['FEDCHAIN_BACKEND']
      else process.env['FEDCHAIN_BACKEND'] = saved
    }
  })

  it('reads the chain id from a JSON-RPC endpoint', async () => {
    const check = await checkRpc(rpcUrl)
    expect(check).toMatchObject({ status: 'ok', message: `${rpcUrl} chain id 31337` })
  })

  it('fails, with a hint, when the RPC does not answer', async () => {
    const report = await runDoctor({ dataDir: dir, rpc: 'http://127.0.0.1:9' })
    const check = report.checks.find((c) => c.name === 'rpc')
    expect(check?.status).toBe('fail')
    expect(check?.message).toContain('unreachable')
    expect(report.ok).toBe(false)
    expect(formatDoctorReport(report)).toContain('not ready')
  })

  it("also checks the RPC endpoint and the Kubo daemon an initialized data dir's config names", async () => {
    const kubo = await startKuboRpcServer()
    try {
      const node = join(dir, 'node')
      await import('node:fs/promises').then((fs) => fs.mkdir(node, { mode: 0o700 }))
      const config = { version: 1, data: '/d.csv', schema: '/s.json', rpc: rpcUrl, contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3', listen: [], peers: [], statusPort: 0, ipfsApi: kubo.url }
      await writeFile(join(node, 'config.json'), JSON.stringify(config))
      const report = await runDoctor({ dataDir: node })
      expect(report.checks.find((c) => c.name === 'rpc')).toMatchObject({ status: 'ok', message: `${rpcUrl} chain id 31337` })
      expect(report.checks.find((c) => c.name === 'ipfs-api')).toMatchObject({ status: 'ok', message: `${kubo.url} answers (Kubo RPC API)` })
      expect(kubo.requests).toEqual(['/api/v0/block/stat'])

      // A flag overrides the config: a Kubo daemon that is not there fails the report.
      const down = await runDoctor({ dataDir: node, ipfsApi: 'http://127.0.0.1:9' })
      expect(down.checks.find((c) => c.name === 'ipfs-api')).toMatchObject({ status: 'fail', message: 'http://127.0.0.1:9 is unreachable; start the Kubo daemon (ipfs daemon) or fix --ipfs-api' })
      expect(down.ok).toBe(false)

      await writeFile(join(node, 'config.json'), JSON.stringify({ ...config, ipfsApi: 'localhost:5001' }))
      const broken = await runDoctor({ dataDir: node })
      expect(broken.checks.find((c) => c.name === 'config')).toMatchObject({ status: 'fail', message: expect.stringContaining('"ipfsApi" must be an http(s) URL') })
      expect(broken.ok).toBe(false)
    } finally {
      await kubo.close()
    }
  })

  it('warns about a data dir other users can read and fails on a file', async () => {
    const open = join(dir, 'open')
    await import('node:fs/promises').then((fs) => fs.mkdir(open))
    await chmod(open, 0o755)
    expect((await checkDataDir(open)).status).toBe('warn')
    await chmod(open, 0o700)
    expect((await checkDataDir(open)).status).toBe('ok')
    const file = join(dir, 'file')
    await writeFile(file, '')
    expect((await checkDataDir(file)).status).toBe('fail')
  })
})
