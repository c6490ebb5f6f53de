import { InvalidCidError, parseBlobCid } from '../storage/index.js'
import { MAX_GOSSIP_MESSAGE_BYTES, MAX_REASON_CHARS, TASK_ID_PATTERN } from './constants.js'
import { KIND_FIELDS, type GossipMessage } from './messages.js'
import { GOSSIP_KINDS, parseTopic, type GossipKind } from './topics.js'

/** Why a gossip message was rejected. */
export type GossipRejectReason =
  | 'oversized'
  | 'malformed'
  | 'schema'
  | 'wrong-topic'
  | 'unsigned'
  | 'bad-signature'
  | 'unregistered'
  | 'round-closed'
  | 'unauthorized'

/** Outcome of decoding: the typed message, or a reason and a detail for the log. */
export type DecodeResult = { readonly ok: true; readonly message: GossipMessage } | { readonly ok: false; readonly reason: GossipRejectReason; readonly detail: string }

const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const HASH32 = /^0x[0-9a-fA-F]{64}$/
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/
const ROUND = /^(0|[1-9][0-9]{0,19})$/
const U64_MAX = (1n << 64n) - 1n
const BASE_FIELDS = ['v', 'kind', 'task', 'round', 'sender', 'signature']

/**
 * Decodes and schema-checks a gossip message received on `topic`, without checking the signature
 * or the chain. Never throws: every failure is a `{ ok: false, reason }`. Unknown fields are
 * rejected, so a message cannot smuggle data past the signature.
 */
export function decodeGossipMessage(topic: string, data: Uint8Array, maxBytes: number = MAX_GOSSIP_MESSAGE_BYTES): DecodeResult {
  if (!(data instanceof Uint8Array)) return fail('malformed', 'data is not bytes')
  if (data.length > maxBytes) return fail('oversized', `${data.length} bytes > ${maxBytes}`)
  const where = parseTopic(topic)
  if (where === undefined) return fail('wrong-topic', `${topic.slice(0, 200)} is not a fedchain topic`)

  let value: unknown
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data))
  } catch {
    return fail('malformed', 'not UTF-8 JSON')
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('schema', 'not a JSON object')
  const record = value as Record<string, unknown>

  if (record['v'] !== 1) return fail('schema', 'v must be 1')
  const kind = record['kind']
  if (typeof kind !== 'string' || !(GOSSIP_KINDS as readonly string[]).includes(kind)) return fail('schema', 'unknown kind')
  const expectedFields = new Set([...BASE_FIELDS, ...KIND_FIELDS[kind as GossipKind]])
  const keys = Object.keys(record)
  if (keys.length !== expectedFields.size || keys.some((k) => !expectedFields.has(k))) return fail('schema', `fields must be exactly ${[...expectedFields].join(', ')}`)

  const task = record['task']
  if (typeof task !== 'string' || !TASK_ID_PATTERN.test(task)) return fail('schema', 'task must be 1–128 characters of [A-Za-z0-9._:-]')
  const round = record['round']
  if (typeof round !== 'string' || !ROUND.test(round) || BigInt(round) > U64_MAX) return fail('schema', 'round must be a decimal string below 2^64')
  if (!isString(record['sender'], ADDRESS)) return fail('schema', 'sender must be a 0x address')
  if (!isString(record['signature'], SIGNATURE)) return fail('unsigned', 'signature must be 0x + 130 hex digits')
  if (task !== where.taskId || kind !== where.kind) return fail('wrong-topic', `a ${kind} message of task ${task} on topic ${topic}`)

  if (record['cid'] !== undefined) {
    try {
      parseBlobCid(record['cid'] as string)
    } catch (err) {
      return fail('schema', err instanceof InvalidCidError ? err.shortMessage : 'cid is invalid')
    }
  }
  switch (kind as GossipKind) {
    case 'update-shared':
      if (!isString(record['commitment'], HASH32)) return fail('schema', 'commitment must be 0x + 64 hex digits')
      break
    case 'verdict':
      if (!isString(record['subject'], ADDRESS)) return fail('schema', 'subject must be a 0x address')
      if (typeof record['accepted'] !== 'boolean') return fail('schema', 'accepted must be a boolean')
      if (typeof record['reason'] !== 'string' || record['reason'].length > MAX_REASON_CHARS) return fail('schema', `reason must be a string of at most ${MAX_REASON_CHARS} characters`)
      break
    case 'model-published':
      if (!isString(record['modelHash'], HASH32)) return fail('schema', 'modelHash must be 0x + 64 hex digits')
      break
  }
  return { ok: true, message: { ...record, round: BigInt(round) } as unknown as GossipMessage }
}

function isString(value: unknown, pattern: RegExp): value is string {
  return typeof value === 'string' && pattern.test(value)
}

function fail(reason: GossipRejectReason, detail: string): DecodeResult {
  return { ok: false, reason, detail }
}
