// Parses the head of an HTTP/1.1 request (RFC 9112 §2–3) just far enough to tell a WebSocket
// upgrade (RFC 6455 §4.2.1) from anything else, and computes the handshake answer.

import { sha1 } from '@noble/hashes/legacy.js'

export const MAX_HEAD_BYTES = 16 * 1024
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
const latin1 = new TextDecoder('latin1')
const encoder = new TextEncoder()

export interface RequestHead {
  method: string
  target: string
  headers: Map<string, string>
  /** Bytes of the head including the final CRLFCRLF. */
  length: number
}

/** The head if `bytes` holds a complete one; undefined if more bytes are needed; null if junk. */
export function parseRequestHead(bytes: Uint8Array): RequestHead | undefined | null {
  let end = -1
  for (let i = 3; i < bytes.length; i++) {
    if (bytes[i] === 10 && bytes[i - 1] === 13 && bytes[i - 2] === 10 && bytes[i - 3] === 13) {
      end = i + 1
      break
    }
  }
  if (end < 0) return bytes.length > MAX_HEAD_BYTES ? null : undefined
  const text = latin1.decode(bytes.subarray(0, end - 4))
  const [requestLine, ...lines] = text.split('\r\n')
  const parts = requestLine.split(' ')
  if (parts.length !== 3 || !parts[2].startsWith('HTTP/1.')) return null
  const headers = new Map<string, string>()
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon <= 0) return null
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value)
  }
  return { method: parts[0], target: parts[1], headers, length: end }
}

export function isWebSocketUpgrade(head: RequestHead): boolean {
  const connection = (head.headers.get('connection') ?? '').toLowerCase()
  return head.method === 'GET' &&
    (head.headers.get('upgrade') ?? '').toLowerCase() === 'websocket' &&
    connection.split(',').some((t) => t.trim() === 'upgrade') &&
    head.headers.get('sec-websocket-version') === '13' &&
    /^[A-Za-z0-9+/]{22}==$/.test(head.headers.get('sec-websocket-key') ?? '')
}

/**
 * The 101 response for a valid upgrade request. SHA-1 is computed here, synchronously: WebCrypto's
 * digest runs on the runtime's thread pool, and a burst of upgrades would start dozens of threads
 * (each with its own allocator arena) for 60 bytes of hashing.
 */
export function handshakeResponse(key: string): Uint8Array {
  const accept = btoa(String.fromCharCode(...sha1(encoder.encode(key + WEBSOCKET_GUID))))
  return encoder.encode(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
  )
}
