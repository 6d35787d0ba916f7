// Browser composition root: concrete storage (Dexie, sealed under the unlocked storage key),
// crypto, the signaling URL, the org connection, channel sessions, clock and routes.

import { createRoot, createSignal } from 'solid-js'
import { render } from 'solid-js/web'
import {
  base64url,
  concatBytes,
  fromBase64url,
  fromHex,
  fromUtf8,
  toHex,
  utf8,
} from '../crypto/codec/bytes.ts'
import { sharedKeyChannelCipher } from '../crypto/envelope/channel-cipher.ts'
import { hkdf, sha256 } from '../crypto/primitives/kdf.ts'
import { secureRandom } from '../crypto/primitives/random.ts'
import { dh } from '../crypto/primitives/x25519.ts'
import { decodeCredential } from '../crypto/membership/credential.ts'
import { defaultProvider } from '../crypto/provider/default-provider.ts'
import { createSignedPreKey, type SignedPreKey } from '../crypto/x3dh/prekey-bundle.ts'
import { authenticateLinks } from './transport/link-auth.ts'
import { WebrtcMesh } from './transport/webrtc-mesh.ts'
import { channelAddress } from './engine/channel-address.ts'
import { ChannelEngine } from './engine/channel-engine.ts'
import type { DeviceKeys } from './engine/org-channel-security.ts'
import { openSession, type Session } from './engine/session.ts'
import { answerChallenge } from './membership/admission-answer.ts'
import { type LocalSealer, localSealer } from './membership/device-lock.ts'
import type { Enrollment } from './membership/enrollment.ts'
import { dexieIdentityStore } from './membership/identity-store.ts'
import { OrgReplica } from './membership/org-replica.ts'
import { dexieStore } from './storage/dexie-store.ts'
import {
  SignalingClient,
  type SignalingMessage,
  type SignalingStatus,
} from './transport/signaling-client.ts'
import { App } from './ui/app.tsx'
import type { AppStores } from './ui/app-context.tsx'
import { createChannelStore } from './ui/channels/channel-store.ts'
import { type ChannelPersistence, createChannelsStore } from './ui/channels/channels-store.ts'
import { asSavedChannels, type SavedChannel } from './ui/channels/saved-channel.ts'
import { createDeviceStore } from './ui/device-store.ts'
import { createI18nStore, pickLocale } from './ui/i18n/i18n.ts'
import { createLockStore } from './ui/lock/lock-store.ts'
import { createOrgStore } from './ui/members/org-store.ts'
import { parseRoute, type Route } from './ui/route.ts'
import { MessageIndex } from './ui/search/message-index.ts'
import { createSettingsStore } from './ui/settings/settings-store.ts'
import './ui/styles.css'

declare global {
  interface Window {
    /** Diagnostics for tests and support: counters and public state only, never content or keys. */
    __conch?: {
      session: () => Session | undefined
      org: () => OrgReplica | undefined
      /** Org-channel engines by hex channel id (stats only are read by tests). */
      engines: Map<string, ChannelEngine>
    }
  }
}

let lastSession: Session | undefined
let replica: OrgReplica | undefined
const engines = new Map<string, ChannelEngine>()
window.__conch = { session: () => lastSession, org: () => replica, engines }

function signalingUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${proto}//${location.host}/`
}

const LOCK_RECORD = 'conch-device-lock'
const CHANNELS_RECORD = 'conch-channels'
const DM_CHANNEL_NAME = 'direct'
const PREKEY_RECORD = 'conch-signed-prekey'

const settings = createSettingsStore(localStorage, pickLocale(navigator.languages ?? []))
const i18n = createI18nStore(settings.settings().locale)
const identityStore = dexieIdentityStore()
const device = await createDeviceStore(identityStore, secureRandom, () => Date.now())
const lock = createLockStore({
  load: () => {
    const v = localStorage.getItem(LOCK_RECORD)
    try {
      return v ? fromBase64url(v) : undefined
    } catch {
      return undefined
    }
  },
  save: (bytes) => localStorage.setItem(LOCK_RECORD, base64url(bytes)),
}, secureRandom)

const [route, setRoute] = createSignal<Route>(parseRoute(location.hash))
globalThis.addEventListener('hashchange', () => setRoute(parseRoute(location.hash)))
const navigate = (hash: string) => {
  if (location.hash === hash) setRoute(parseRoute(hash))
  else location.hash = hash
}

/** The pair's DM secret: both devices derive it from their X25519 identity keys (static DH). */
function directSecret(enrollment: Enrollment, peerDhPublic: Uint8Array, peer: string): Uint8Array {
  const me = toHex(enrollment.keys.deviceId)
  const ids = [me, peer].sort().join(':')
  return hkdf(
    dh(enrollment.keys.identity.dh.secretKey, peerDhPublic),
    utf8(ids),
    'ui/dm-secret',
    32,
  )
}

/** The signed prekey peers start pairwise sessions with: kept (sealed) across reloads. */
async function loadSignedPreKey(
  sealer: LocalSealer,
  create: () => Promise<SignedPreKey>,
): Promise<SignedPreKey> {
  const stored = localStorage.getItem(PREKEY_RECORD)
  if (stored) {
    try {
      const v = JSON.parse(fromUtf8(sealer.open('signed-prekey', fromBase64url(stored))))
      return {
        id: v.id,
        keyPair: { publicKey: fromBase64url(v.pub), secretKey: fromBase64url(v.sec) },
        signature: fromBase64url(v.sig),
      }
    } catch {
      // Damaged: make a new one; peers learn it from our next HELLO.
    }
  }
  const fresh = await create()
  const json = JSON.stringify({
    id: fresh.id,
    pub: base64url(fresh.keyPair.publicKey),
    sec: base64url(fresh.keyPair.secretKey),
    sig: base64url(fresh.signature),
  })
  localStorage.setItem(PREKEY_RECORD, base64url(sealer.seal('signed-prekey', utf8(json))))
  return fresh
}

async function boot(): Promise<AppStores> {
  const enrollment = device.enrollment()!
  const storageKey = lock.storageKey()!
  const sealer = localSealer(storageKey, secureRandom)
  const org = new OrgReplica(enrollment.anchor, await identityStore.loadOrgLog())
  replica = org
  const orgStore = createOrgStore(toHex(enrollment.keys.deviceId), org.state)
  org.subscribe((state) => orgStore.setState(state))
  const store = dexieStore('conch', storageKey)
  // Every channel writes as this device: its certified id and the start of its client-id range.
  const certificate = decodeCredential(enrollment.credential).device
  const deviceId = enrollment.keys.deviceId
  const clientId = certificate.clientIdRange.start
  const known = await store.loadDevice()
  if (!known || toHex(known.deviceId) !== toHex(deviceId) || known.clientId !== clientId) {
    await store.saveDevice({ deviceId, clientId })
  }
  const provider = await defaultProvider()
  const keys: DeviceKeys = {
    deviceId,
    identity: enrollment.keys.identity,
    signedPreKey: await loadSignedPreKey(
      sealer,
      async () => await createSignedPreKey(provider, enrollment.keys.identity, 1),
    ),
  }
  /** An org channel in org mode: sender keys, signed envelopes, authenticated links. */
  const openOrgChannel = async (channelHex: string) => {
    const channelId = fromHex(channelHex)
    const engine = await ChannelEngine.open({
      channelId,
      store,
      deviceId,
      clientId,
      now: () => Date.now(),
      random: secureRandom,
      org: { provider, keys, orgState: org.state },
    })
    engines.set(channelHex, engine)
    org.subscribe((state) => engine.setOrgState(state))
    const ui = createChannelStore(engine)
    let mesh: WebrtcMesh | undefined
    let status: SignalingStatus = 'connecting'
    let detail: string | undefined
    const report = () => ui.setConnection(status, mesh?.peerCount ?? 0, detail)
    const signaling: SignalingClient = new SignalingClient({
      url: signalingUrl(),
      answerChallenge: (challenge) => answerChallenge(enrollment, challenge),
      onMessage: (m) => {
        if (m.type === 'publish') mesh?.handle(m)
        else onWorkerMessage(m, signaling)
      },
      onOpen: () => mesh?.start(),
      onStatus: (s, d) => {
        status = s
        detail = d
        report()
      },
    })
    const auth = authenticateLinks({
      up: (link) => {
        engine.linkUp(link)
        report()
      },
      down: (link) => {
        engine.linkDown(link)
        report()
      },
      frame: (link, bytes) => engine.receive(link, bytes),
    }, {
      anchor: enrollment.anchor,
      orgState: () => org.state,
      credential: enrollment.credential,
      signingSecretKey: enrollment.keys.identity.signing.secretKey,
      now: () => Date.now(),
      random: secureRandom,
    })
    org.subscribe(() => auth.revalidate())
    mesh = new WebrtcMesh({
      signaling,
      topic: toHex(sha256(concatBytes(utf8('conch/v1/topic/'), channelId))),
      peerId: toHex(secureRandom(16)),
      events: auth.events,
    })
    if (signaling.status === 'open') mesh.start()
    report()
    return ui
  }

  const onWorkerMessage = (message: SignalingMessage, signaling: SignalingClient) => {
    if (message.type === 'welcome') {
      signaling.send({ type: 'org-log-request', heads: org.headsHex() })
    } else if (message.type === 'org-log' && typeof message.entries === 'string') {
      try {
        const fresh = org.applyBundle(fromBase64url(message.entries))
        void identityStore.saveOrgEntries(fresh.map((e) => ({ id: toHex(e.hash), bytes: e.bytes })))
      } catch {
        // A malformed push changes nothing; the next push or request brings the log again.
      }
    }
  }
  const [orgStatus, setOrgStatus] = createSignal<SignalingStatus>('connecting')
  // The org connection: admission and org-log pushes even while no channel is open.
  const orgClient: SignalingClient = new SignalingClient({
    url: signalingUrl(),
    answerChallenge: (challenge) => answerChallenge(enrollment, challenge),
    onMessage: (m) => {
      if (m.type !== 'publish') onWorkerMessage(m, orgClient)
    },
    onStatus: (s) => setOrgStatus(s),
  })

  const secretOf = (saved: SavedChannel): { name: string; secret: Uint8Array } => {
    if (saved.kind === 'link') return { name: saved.name, secret: fromBase64url(saved.secret) }
    if (saved.kind === 'org') throw new RangeError('org channels have no shared secret')
    const peer = org.state.devices.get(saved.peer)
    if (!peer) throw new Error(i18n.t('membersEmpty'))
    return {
      name: DM_CHANNEL_NAME,
      secret: directSecret(enrollment, peer.identityDhPublicKey, saved.peer),
    }
  }
  const persistence: ChannelPersistence = {
    load() {
      try {
        const sealed = localStorage.getItem(CHANNELS_RECORD)
        if (!sealed) return { channels: [], readMarks: {} }
        const v = JSON.parse(fromUtf8(sealer.open('channels', fromBase64url(sealed))))
        return {
          channels: asSavedChannels(v.channels),
          readMarks: typeof v.readMarks === 'object' && v.readMarks ? v.readMarks : {},
        }
      } catch {
        return { channels: [], readMarks: {} }
      }
    },
    save(channels, readMarks) {
      const json = utf8(JSON.stringify({ channels, readMarks }))
      localStorage.setItem(CHANNELS_RECORD, base64url(sealer.seal('channels', json)))
    },
  }
  const index = new MessageIndex()
  const [searchVersion, setSearchVersion] = createSignal(0)
  const channels = createRoot(() =>
    createChannelsStore({
      persistence,
      orgChannels: orgStore.channels,
      canPublish: orgStore.canPublish,
      opener: {
        keyOf: (saved) =>
          saved.kind === 'dm'
            ? `dm-${saved.peer}`
            : saved.kind === 'org'
            ? `org-${saved.channel}`
            : `link-${toHex(channelAddress(fromBase64url(saved.secret), saved.name).channelId)}`,
        async open(saved) {
          if (saved.kind === 'org') return await openOrgChannel(saved.channel)
          const { name, secret } = secretOf(saved)
          const { channelId, topic } = channelAddress(secret, name)
          const ui: { store?: ReturnType<typeof createChannelStore> } = {}
          const s = await openSession({
            signalingUrl: signalingUrl(),
            channelId,
            topic,
            cipher: sharedKeyChannelCipher(secret, channelId),
            store,
            now: () => Date.now(),
            random: secureRandom,
            answerChallenge: (challenge) => answerChallenge(enrollment, challenge),
            onWorkerMessage,
            onStatus: (status, peers, detail) => ui.store?.setConnection(status, peers, detail),
          })
          lastSession = s
          ui.store = createChannelStore(s.engine)
          ui.store.setConnection(s.signaling.status, s.mesh.peerCount)
          return ui.store
        },
      },
      onArrived(key, messages) {
        const s = settings.settings()
        if (!s.notifications || document.visibilityState === 'visible') return
        if (!('Notification' in globalThis) || Notification.permission !== 'granted') return
        const last = messages[messages.length - 1]
        const author = orgStore.nameOf(last.author) ??
          i18n.t('unknownDevice', { id: last.author.slice(0, 6) })
        new Notification(i18n.t('notificationFrom', { author, channel: channels.nameOf(key) }), {
          body: last.text.slice(0, 200),
          tag: key,
        })
      },
      onChange(key, s) {
        const all = [...s.messages()]
        for (const m of s.messages()) if (m.replies > 0) all.push(...s.thread(m.id))
        index.syncChannel(key, all)
        setSearchVersion((v) => v + 1)
      },
    })
  )
  return {
    i18n,
    settings,
    device,
    lock,
    org: orgStore,
    channels,
    search: { index, version: searchVersion },
    nav: { route, navigate },
    connection: { status: orgStatus, online: () => orgStatus() === 'open' },
    directChannel: (peer, name) => ({ kind: 'dm', peer, name }),
  }
}

render(
  () => (
    <App
      route={route}
      device={device}
      lock={lock}
      i18n={i18n}
      navigate={navigate}
      boot={boot}
    />
  ),
  document.getElementById('root')!,
)
