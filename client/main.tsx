// Browser composition root: concrete storage (Dexie), crypto, signaling URL and clock.

import { render } from 'solid-js/web'
import { sharedKeyChannelCipher } from '../crypto/envelope/channel-cipher.ts'
import { secureRandom } from '../crypto/primitives/random.ts'
import { channelAddress } from './engine/channel-address.ts'
import { openSession, type Session } from './engine/session.ts'
import { dexieStore } from './storage/dexie-store.ts'
import { App } from './ui/app.tsx'
import { type ChannelStore, createChannelStore } from './ui/channel-store.ts'
import { parseRoute } from './ui/route.ts'
import './ui/styles.css'

declare global {
  interface Window {
    /** Diagnostics for tests and support: counters only, never content or keys. */
    __conch?: { session: () => Session | undefined }
  }
}

let session: Session | undefined
window.__conch = { session: () => session }

function signalingUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${proto}//${location.host}/`
}

async function open(name: string, secret: Uint8Array): Promise<ChannelStore> {
  const { channelId, topic } = channelAddress(secret, name)
  const ui: { store?: ChannelStore } = {}
  const s = await openSession({
    signalingUrl: signalingUrl(),
    channelId,
    topic,
    cipher: sharedKeyChannelCipher(secret, channelId),
    store: dexieStore(),
    now: () => Date.now(),
    random: secureRandom,
    onStatus: (status, peers) => ui.store?.setConnection(status, peers),
  })
  session = s
  const store = createChannelStore(s.engine)
  ui.store = store
  store.setConnection(s.signaling.status, s.mesh.peerCount)
  return store
}

window.addEventListener('hashchange', () => location.reload())
render(
  () => <App route={parseRoute(location.hash)} open={open} />,
  document.getElementById('root')!,
)
