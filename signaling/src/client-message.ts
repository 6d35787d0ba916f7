// Decodes one client text frame into a typed message (docs/protocol/signaling.md §Client messages).

/** Messages a client may send. `publish` keeps every other field so it can be re-broadcast as is. */
export type ClientMessage =
  | { type: 'subscribe'; topics: unknown[] }
  | { type: 'unsubscribe'; topics: unknown[] }
  | { type: 'publish'; topic: string; message: Record<string, unknown> }
  | { type: 'ping' }
  | { type: 'pong' }
  | { type: 'auth'; challenge: string; credential: string; signature: string }
  | { type: 'org-log-request'; heads: string[] }
  | { type: 'unknown' }

/** Thrown for frames that are not a JSON object with a string `type`: closes with bad-frame. */
export class BadFrameError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BadFrameError'
  }
}

const MAX_LIST = 1024
const BASE64URL = /^[A-Za-z0-9_-]*$/
const HEX = /^[0-9a-f]*$/

function base64urlField(o: Record<string, unknown>, name: string, maxLength: number): string {
  const v = o[name]
  if (typeof v !== 'string' || v.length > maxLength || !BASE64URL.test(v)) {
    throw new BadFrameError(`${name} must be base64url`)
  }
  return v
}

function listField(o: Record<string, unknown>, name: string): unknown[] {
  const v = o[name] ?? []
  if (!Array.isArray(v) || v.length > MAX_LIST) throw new BadFrameError(`${name} must be a list`)
  return v
}

/** Parses a frame already checked against the size limit. Unknown types are tolerated. */
export function parseClientMessage(text: string): ClientMessage {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new BadFrameError('not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadFrameError('not an object')
  }
  const o = value as Record<string, unknown>
  if (typeof o.type !== 'string') throw new BadFrameError('type must be a string')
  switch (o.type) {
    case 'subscribe':
    case 'unsubscribe':
      return { type: o.type, topics: listField(o, 'topics') }
    case 'publish':
      if (typeof o.topic !== 'string') throw new BadFrameError('topic must be a string')
      return { type: 'publish', topic: o.topic, message: o }
    case 'ping':
      return { type: 'ping' }
    case 'pong':
      return { type: 'pong' }
    case 'auth':
      return {
        type: 'auth',
        challenge: base64urlField(o, 'challenge', 64),
        credential: base64urlField(o, 'credential', 16 * 1024),
        signature: base64urlField(o, 'signature', 128),
      }
    case 'org-log-request': {
      const heads = listField(o, 'heads')
      for (const h of heads) {
        if (typeof h !== 'string' || h.length !== 64 || !HEX.test(h)) {
          throw new BadFrameError('heads must be 64-char lowercase hex')
        }
      }
      return { type: 'org-log-request', heads: heads as string[] }
    }
    default:
      return { type: 'unknown' }
  }
}

/** Outside open mode a topic is an opaque hash: exactly 64 lowercase hex characters. */
export const HASHED_TOPIC = /^[0-9a-f]{64}$/
/** In open mode any string up to this length is a topic (y-webrtc uses room names). */
export const MAX_OPEN_TOPIC_LENGTH = 512

export function isValidTopic(topic: unknown, open: boolean): topic is string {
  if (typeof topic !== 'string') return false
  return open ? topic.length > 0 && topic.length <= MAX_OPEN_TOPIC_LENGTH : HASHED_TOPIC.test(topic)
}
