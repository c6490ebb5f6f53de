// AES-256-GCM throughput of update envelopes (1, 16, 64 MiB) and the per-recipient cost of the
// X25519 + HKDF key wrap. Run: `pnpm -s build && node bench/crypto.bench.ts`.
// Writes bench/results/crypto.json. Target (issue 7): ≥ 1 GB/s AES-256-GCM on updates.
import { createCipheriv, diffieHellman, generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
// The crypto module is not re-exported from @fedchain/node's root entry yet; import its build output.
import { createNodeIdentity, decryptUpdate, encryptUpdate, envelopeSize, generateX25519KeyPair, loadNodeIdentity } from '../packages/node/dist/crypto/index.js'

const here = dirname(fileURLToPath(import.meta.url))
const MiB = 1 << 20
const SENDER = '0x' + '11'.repeat(20)

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** Median and best wall time of `fn` in ms over `runs` runs after one warm-up. */
function timeBoth(runs: number, fn: () => void): { median: number; best: number } {
  fn()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    fn()
    samples.push(performance.now() - start)
  }
  return { median: median(samples), best: Math.min(...samples) }
}

/** Median wall time of `fn` in ms. */
function time(runs: number, fn: () => void): number {
  return timeBoth(runs, fn).median
}

const gbps = (bytes: number, ms: number): number => bytes / (ms / 1000) / 1e9

// One recipient so the table shows the payload cipher; the wrap table below gives the cost per
// additional recipient.
const committee = Array.from({ length: 4 }, () => generateX25519KeyPair())
const context = { taskId: 'bench', round: 1n, sender: SENDER }
const throughput: Array<Record<string, number | string>> = []

for (const mib of [1, 16, 64]) {
  const payload = randomBytes(mib * MiB)
  const runs = mib === 64 ? 11 : mib === 16 ? 21 : 41
  const recipients = [committee[3]!.publicKey]
  let envelope = new Uint8Array(0)
  // Fresh output buffer per envelope (what a one-off call does).
  const encryptMs = time(runs, () => {
    envelope = encryptUpdate({ payload, recipients, context })
  })
  const decryptMs = time(runs, () => {
    decryptUpdate({ envelope, recipient: committee[3]!, expected: context })
  })
  // Reused output buffers (what a node does round after round).
  const sealed = new Uint8Array(envelopeSize({ payloadBytes: payload.length, recipients: recipients.length, taskId: context.taskId }))
  const opened = new Uint8Array(payload.length)
  const encryptReused = timeBoth(runs, () => {
    envelope = encryptUpdate({ payload, recipients, context, output: sealed })
  })
  const decryptReused = timeBoth(runs, () => {
    decryptUpdate({ envelope, recipient: committee[3]!, expected: context, output: opened })
  })
  // Baseline the envelope code avoids: the whole payload in one update() call.
  const key = randomBytes(32)
  const oneCallMs = time(runs, () => {
    const cipher = createCipheriv('aes-256-gcm', key, randomBytes(12))
    cipher.update(payload)
    cipher.final()
  })
  throughput.push({
    payloadMiB: mib,
    recipients: recipients.length,
    encryptGBps: round(gbps(payload.length, encryptMs)),
    decryptGBps: round(gbps(payload.length, decryptMs)),
    encryptReusedGBps: round(gbps(payload.length, encryptReused.median)),
    encryptReusedBestGBps: round(gbps(payload.length, encryptReused.best)),
    decryptReusedGBps: round(gbps(payload.length, decryptReused.median)),
    decryptReusedBestGBps: round(gbps(payload.length, decryptReused.best)),
    singleUpdateCallGBps: round(gbps(payload.length, oneCallMs)),
  })
}

// Per-recipient wrap cost: slope of encryptUpdate time over k for a tiny payload.
const tiny = new Uint8Array(64)
const many = Array.from({ length: 100 }, () => generateX25519KeyPair().publicKey)
const one = time(200, () => encryptUpdate({ payload: tiny, recipients: many.slice(0, 1), context }))
const hundred = time(50, () => encryptUpdate({ payload: tiny, recipients: many, context }))
const a = generateKeyPairSync('x25519')
const b = generateKeyPairSync('x25519')
const agreementUs = time(2000, () => {
  diffieHellman({ privateKey: a.privateKey, publicKey: b.publicKey })
}) * 1000
const wrap = {
  envelopeWith1RecipientMs: round(one),
  envelopeWith100RecipientsMs: round(hundred),
  perRecipientWrapUs: round(((hundred - one) / 99) * 1000),
  x25519AgreementUs: round(agreementUs),
}

// Identity files with the default scrypt cost (N = 2^17): paid once per node start.
const dataDir = mkdtempSync(join(tmpdir(), 'fedchain-bench-identity-'))
let startedAt = performance.now()
await createNodeIdentity({ dataDir, password: 'bench' })
const createIdentityMs = performance.now() - startedAt
startedAt = performance.now()
await loadNodeIdentity({ dataDir, password: 'bench' })
const loadIdentityMs = performance.now() - startedAt
rmSync(dataDir, { recursive: true, force: true })
const identity = { createIdentityMs: round(createIdentityMs), loadIdentityMs: round(loadIdentityMs) }

console.log(`\nAES-256-GCM update envelopes, GB/s (1 recipient; median unless 'Best'; fresh output buffer unless 'Reused'; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`)
console.table(throughput)
console.log('X25519 + HKDF-SHA256 + AES-GCM key wrap')
console.table([wrap])
console.log('Identity key files, default scrypt cost (one run)')
console.table([identity])

const result = {
  bench: 'crypto',
  loadAverage1m: round(loadavg()[0]!),
  command: 'node bench/crypto.bench.ts',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  targetGBps: 1,
  throughput,
  wrap,
  identity,
}
mkdirSync(join(here, 'results'), { recursive: true })
writeFileSync(join(here, 'results', 'crypto.json'), JSON.stringify(result, null, 2) + '\n')
console.log(`wrote ${join('bench', 'results', 'crypto.json')}`)

function round(x: number): number {
  return Math.round(x * 1000) / 1000
}
