// Subprocess for the compatibility test: one stock y-webrtc WebrtcProvider joins a room through
// the signaling URL and prints a line for every announce from another peer it receives.
// Usage: deno run --allow-all y-webrtc-peer.ts <ws-url> <room> <seconds>

import * as Y from 'yjs'
import { WebrtcProvider } from 'y-webrtc'

const [url, room, seconds] = Deno.args
const doc = new Y.Doc()
// maxConns: 0 keeps the provider from opening RTCPeerConnections, which Deno does not have;
// everything on the signaling side (subscribe, announce, publish handling) is stock.
const provider = new WebrtcProvider(room, doc, { signaling: [url], maxConns: 0 })
// The room (and its peer id) exists once the provider's key promise settles.
while (!provider.room) await new Promise((r) => setTimeout(r, 10))
const peerId = (provider.room as unknown as { peerId: string }).peerId
console.log(`self ${peerId}`)

const seen = new Set<string>()
for (const conn of provider.signalingConns) {
  if (conn.connected) console.log('connected')
  else conn.on('connect', () => console.log('connected'))
  conn.on(
    'message',
    (m: { type: string; topic?: string; data?: { type?: string; from?: string } }) => {
      const from = m.data?.from
      if (m.type === 'publish' && m.topic === room && m.data?.type === 'announce' && from) {
        if (from !== peerId && !seen.has(from)) {
          seen.add(from)
          console.log(`announce ${from}`)
        }
      }
    },
  )
}

setTimeout(() => {
  provider.destroy()
  Deno.exit(0)
}, Number(seconds) * 1000)
