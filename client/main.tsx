// Browser composition root: concrete storage (Dexie), crypto, signaling URL, clock and routes.

import { render } from 'solid-js/web'
import { fromBase64url, toHex } from '../crypto/codec/bytes.ts'
import { sharedKeyChannelCipher } from '../crypto/envelope/channel-cipher.ts'
import { secureRandom } from '../crypto/primitives/random.ts'
import { channelAddress } from './engine/channel-address.ts'
import { openSession, type Session } from './engine/session.ts'
import { answerChallenge } from './membership/admission-answer.ts'
import { dexieIdentityStore } from './membership/identity-store.ts'
import { OrgReplica } from './membership/org-replica.ts'
import { dexieStore } from './storage/dexie-store.ts'
import { App } from './ui/app.tsx'
import { type ChannelStore, createChannelStore } from './ui/channel-store.ts'
import { createDeviceStore } from './ui/device-store.ts'
import { parseRoute } from './ui/route.ts'
import './ui/styles.css'

declare global {
  interface Window {
    /** Diagnostics for tests and support: counters and public state only, never content or keys. */
    __conch?: { session: () => Session | undefined; org: () => OrgReplica | undefined }
  }
}

let session: Session | undefined
let org: OrgReplica | undefined
window.__conch = { session: () => session, org: () => org }

function signalingUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${proto}//${location.host}/`
}

const identityStore = dexieIdentityStore()
const device = await createDeviceStore(identityStore, secureRandom, () => Date.now())

async function open(name: string, secret: Uint8Array): Promise<ChannelStore> {
  const enrollment = device.enrollment()
  if (!enrollment) throw new Error('Join your organisation before opening a channel.')
  const replica = new OrgReplica(enrollment.anchor, await identityStore.loadOrgLog())
  org = replica
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
    answerChallenge: (challenge) => answerChallenge(enrollment, challenge),
    onWorkerMessage: (message, signaling) => {
      if (message.type === 'welcome') {
        signaling.send({ type: 'org-log-request', heads: replica.headsHex() })
      } else if (message.type === 'org-log' && typeof message.entries === 'string') {
        try {
          const fresh = replica.applyBundle(fromBase64url(message.entries))
          void identityStore.saveOrgEntries(
            fresh.map((e) => ({ id: toHex(e.hash), bytes: e.bytes })),
          )
        } catch {
          // A malformed push changes nothing; the next push or request brings the log again.
        }
      }
    },
    onStatus: (status, peers, detail) => ui.store?.setConnection(status, peers, detail),
  })
  session = s
  const store = createChannelStore(s.engine)
  ui.store = store
  store.setConnection(s.signaling.status, s.mesh.peerCount)
  return store
}

globalThis.addEventListener('hashchange', () => location.reload())
render(
  () => (
    <App
      route={parseRoute(location.hash)}
      device={device}
      open={open}
      navigate={(hash) => (location.hash = hash)}
    />
  ),
  document.getElementById('root')!,
)
