// A stock y-webrtc WebrtcProvider (the real package) finds its peer through our worker in open mode.

import { ok } from 'node:assert/strict'
import { startWorker, testConfig } from './support/start-worker.ts'
import { TestClient } from './support/test-client.ts'

const PEER = new URL('./support/y-webrtc-peer.ts', import.meta.url).pathname

/** Starts a peer process; `lines` resolves to its whole stdout, `connected` once it subscribed. */
function startPeer(wsUrl: string, room: string, seconds: number) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ['run', '--allow-all', PEER, wsUrl, room, String(seconds)],
    stdout: 'piped',
    stderr: 'null',
  }).spawn()
  let text = ''
  let onConnected: () => void = () => {}
  const connected = new Promise<void>((resolve) => (onConnected = resolve))
  const done = (async () => {
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      text += chunk
      if (/^connected$/m.test(text)) onConnected()
    }
    await child.status
    onConnected()
    return text
  })()
  return { connected, done }
}

Deno.test('a y-webrtc provider hears a second provider announce itself through our worker', async () => {
  const run = await startWorker({ config: testConfig({ open: true }) })
  try {
    const room = `conch-compat-${crypto.randomUUID()}`
    const observer = await TestClient.connect(run.wsUrl)
    observer.send({ type: 'subscribe', topics: [room] })
    observer.send({ type: 'ping' })
    await observer.next((m) => m.type === 'pong')

    const first = startPeer(run.wsUrl, room, 4)
    await first.connected
    const second = startPeer(run.wsUrl, room, 2)
    const [a, b] = await Promise.all([first.done, second.done])
    const selfA = a.match(/^self (\S+)$/m)?.[1]
    const selfB = b.match(/^self (\S+)$/m)?.[1]
    ok(selfA && selfB, `both peers started:\n${a}\n${b}`)
    ok(a.includes(`announce ${selfB}`), `the first provider heard the second's announce:\n${a}`)

    // A plain subscriber saw both providers' announce publishes, in y-webrtc's own format.
    const announcers = new Set(
      observer.drain()
        .filter((m) => m.type === 'publish' && m.topic === room)
        .map((m) => (m.data as { type: string; from: string }).from),
    )
    ok(announcers.has(selfA) && announcers.has(selfB), `observer saw both: ${[...announcers]}`)
    await observer.close()
  } finally {
    await run.stop()
  }
})
