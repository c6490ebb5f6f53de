import { TASK_ID_PATTERN, TOPIC_PREFIX } from './constants.js'
import { GossipMessageInvalidError } from './errors.js'

/** Kinds of gossip message, one topic each per task. */
export const GOSSIP_KINDS = ['update-shared', 'verdict', 'model-published'] as const

/** A gossip message kind. */
export type GossipKind = (typeof GOSSIP_KINDS)[number]

/**
 * The topic of a kind of message for a task: `fedchain/<taskId>/<kind>`.
 *
 * @throws {@link GossipMessageInvalidError} when the task id is not 1–128 of [A-Za-z0-9._:-]
 */
export function topicFor(taskId: string, kind: GossipKind): string {
  if (!TASK_ID_PATTERN.test(taskId)) throw new GossipMessageInvalidError(`task id ${JSON.stringify(taskId)} must be 1–128 characters of [A-Za-z0-9._:-]`)
  return `${TOPIC_PREFIX}/${taskId}/${kind}`
}

/** All topics of a task. */
export function taskTopics(taskId: string): string[] {
  return GOSSIP_KINDS.map((kind) => topicFor(taskId, kind))
}

/** Splits a fedchain topic into task id and kind; `undefined` for any other topic. */
export function parseTopic(topic: string): { taskId: string; kind: GossipKind } | undefined {
  const parts = topic.split('/')
  if (parts.length !== 3 || parts[0] !== TOPIC_PREFIX) return undefined
  const [, taskId, kind] = parts as [string, string, string]
  if (!TASK_ID_PATTERN.test(taskId) || !(GOSSIP_KINDS as readonly string[]).includes(kind)) return undefined
  return { taskId, kind: kind as GossipKind }
}
