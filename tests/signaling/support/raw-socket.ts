// A WebSocket client over raw TCP that never reads what the server sends: a slow consumer.

/** A masked client text frame (RFC 6455 §5.2); payloads below 64 KiB. */
export function clientTextFrame(text: string): Uint8Array {
  const payload = new TextEncoder().encode(text)
  if (payload.length >= 65536) throw new RangeError('payload too long for this helper')
  const header = payload.length < 126
    ? [0x81, 0x80 | payload.length]
    : [0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]
  const mask = crypto.getRandomValues(new Uint8Array(4))
  const frame = new Uint8Array(header.length + 4 + payload.length)
  frame.set(header)
  frame.set(mask, header.length)
  for (let i = 0; i < payload.length; i++) frame[header.length + 4 + i] = payload[i] ^ mask[i & 3]
  return frame
}

/** Opens a WebSocket by hand and sends `messages`; then it stops reading entirely. */
export async function stalledClient(port: number, messages: unknown[]): Promise<Deno.TcpConn> {
  const conn = await Deno.connect({ hostname: '127.0.0.1', port })
  const request =
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Key: ${btoa('conch-slow-reader')}\r\nSec-WebSocket-Version: 13\r\n\r\n`
  await conn.write(new TextEncoder().encode(request))
  // Read just the handshake response, then never again.
  const buffer = new Uint8Array(1024)
  let head = ''
  while (!head.includes('\r\n\r\n')) {
    const n = await conn.read(buffer)
    if (n === null) throw new Error('closed during handshake')
    head += new TextDecoder().decode(buffer.subarray(0, n))
  }
  if (!head.startsWith('HTTP/1.1 101')) throw new Error(`handshake refused: ${head}`)
  for (const m of messages) await conn.write(clientTextFrame(JSON.stringify(m)))
  return conn
}
