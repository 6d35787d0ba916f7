// The front door's HTTP head parser and WebSocket handshake answer (RFC 9112, RFC 6455 §4.2).

import { deepStrictEqual as assertEquals } from 'node:assert/strict'
import {
  handshakeResponse,
  isWebSocketUpgrade,
  parseRequestHead,
} from '../../signaling/src/websocket/http-head.ts'

const enc = new TextEncoder()

Deno.test('the handshake answers the key of RFC 6455 §1.3 with its accept value', () => {
  const head = parseRequestHead(enc.encode(
    'GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n' +
      'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
      'Sec-WebSocket-Version: 13\r\n\r\n',
  ))
  if (!head) throw new Error('the head should parse')
  assertEquals(isWebSocketUpgrade(head), true)
  const response = new TextDecoder().decode(
    handshakeResponse(head.headers.get('sec-websocket-key')!),
  )
  assertEquals(
    response.includes('\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n'),
    true,
  )
  assertEquals(response.startsWith('HTTP/1.1 101 Switching Protocols\r\n'), true)
  assertEquals(response.endsWith('\r\n\r\n'), true)
})

Deno.test('an incomplete head asks for more bytes; a junk request line is refused', () => {
  assertEquals(parseRequestHead(enc.encode('GET / HTTP/1.1\r\nHost: x\r\n')), undefined)
  assertEquals(parseRequestHead(enc.encode('nonsense\r\n\r\n')), null)
})
