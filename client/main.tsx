// Browser composition root: concrete storage (Dexie, sealed under the unlocked storage key),
// crypto provider, the signaling URL, the org connection, one engine and connection per channel,
// the clock and the routes. Transport wiring lives in client/browser/.

import { createRoot, createSignal } from 'solid-js'
import { render } from 'solid-js/web'
import { concatBytes, fromBase64url, fromHex, toHex, utf8 } from '../crypto/codec/bytes.ts'
import { decodeCredential } from '../crypto/membership/credential.ts'
import { hkdf, sha256 } from '../crypto/primitives/kdf.ts'
import { secureRandom } from '../crypto/primitives/random.ts'
import { dh } from '../crypto/primitives/x25519.ts'
import {
  channelConnection,
  Connectivity,
  signalingConnection,
} from './browser/channel-connection.ts'
import {
  channelPersistence,
  loadSignedPreKey,
  lockRecordStorage,
  sealedStorage,
} from './browser/local-records.ts'
import { createPasskeyWithPrf, evaluatePasskeyPrf, passkeysAvailable } from './browser/passkey.ts'
import { channelAddress } from './engine/channel-address.ts'
import { readsChannel } from './engine/channel-members.ts'
import type { OrgState } from '../crypto/membership/org-state.ts'
import type { ChannelEngine } from './engine/channel-engine.ts'
import type { DeviceKeys } from './engine/org-channel-security.ts'
import type { CryptoProvider } from '../crypto/provider/crypto-provider.ts'
import type { MessageIndex } from './ui/search/message-index.ts'
import { answerChallenge } from './membership/admission-answer.ts'
import { localSealer } from './membership/device-lock.ts'
import type { Enrollment } from './membership/enrollment.ts'
import { dexieIdentityStore } from './membership/identity-store.ts'
import { OrgReplica } from './membership/org-replica.ts'
import { dexieStore } from './storage/dexie-store.ts'
import type {
  SignalingClient,
  SignalingMessage,
  SignalingStatus,
} from './transport/signaling-client.ts'
import { App } from './ui/app.tsx'
import type { AppStores } from './ui/app-context.tsx'
import { createChannelStore } from './ui/channels/channel-store.ts'
import { createChannelsStore } from './ui/channels/channels-store.ts'
import type { SavedChannel } from './ui/channels/saved-channel.ts'
import { createDeviceStore } from './ui/device-store.ts'
import { createVerifiedDevicesStore } from './ui/verification/verified-devices.ts'
import { createI18nStore, pickLocale } from './ui/i18n/i18n.ts'
import { createLockStore } from './ui/lock/lock-store.ts'
import { createOrgStore } from './ui/members/org-store.ts'
import { parseRoute, type Route } from './ui/route.ts'
import { createSettingsStore } from './ui/settings/settings-store.ts'
// Component styles first: styles.css ends with the phone layout, which must win the cascade.
import './ui/messages/messages.css'
import './ui/styles.css'

declare global {
  interface Window {
    /** Diagnostics for tests and support: counters and public state only, never content or keys. */
    __conch?: {
      /** The channel on screen, else the last one opened (walking-skeleton diagnostics). */
      session: () => { engine: ChannelEngine } | undefined
      org: () => OrgReplica | undefined
      /** Engines by channel key. */
      engines: Map<string, ChannelEngine>
    }
  }
}

// Startup marks (read by bench/client.bench.ts): where an offline cold start spends its time.
performance.mark('conch:script')
const engines = new Map<string, ChannelEngine>()
let lastEngine: ChannelEngine | undefined
let replica: OrgReplica | undefined
window.__conch = {
  session: () => {
    const r = route()
    const engine = r.kind === 'open' ? engines.get(r.key) : lastEngine
    return engine && { engine }
  },
  org: () => replica,
  engines,
}

function signalingUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${proto}//${location.host}/`
}

/** DM channels are addressed by the pair's secret under this name. */
const DM_CHANNEL_NAME = 'direct'
/** How long the search index may lag behind a channel. */
const INDEX_DELAY_MS = 200

const settings = createSettingsStore(localStorage, pickLocale(navigator.languages ?? []))
const i18n = createI18nStore(settings.settings().locale)
// The chosen language's dictionary loads before the first render (English is built in).
await i18n.setLocale(settings.settings().locale)
const lock = createLockStore(lockRecordStorage(), secureRandom, undefined, {
  available: passkeysAvailable,
  create: (displayName) => createPasskeyWithPrf(displayName, secureRandom),
  evaluate: (credentialId, salt) => evaluatePasskeyPrf(credentialId, salt, secureRandom),
})
// The device's secret keys are sealed under the storage key the lock wraps.
const identityStore = dexieIdentityStore(() => {
  const key = lock.storageKey()
  return key && localSealer(key, secureRandom)
})
const device = await createDeviceStore(identityStore, secureRandom, () => Date.now())
performance.mark('conch:device-loaded')

const [route, setRoute] = createSignal<Route>(parseRoute(location.hash))
globalThis.addEventListener('hashchange', () => setRoute(parseRoute(location.hash)))
const navigate = (hash: string) => {
  if (location.hash === hash) setRoute(parseRoute(hash))
  else location.hash = hash
}

/**
 * The pair's DM address secret: both devices derive it from their certified X25519 identity keys
 * (static DH), so only the two can name the DM's channel id and topic. It addresses the DM and
 * keys nothing: messages are sealed with Sender Keys sent over the pair's Double Ratchet session.
 */
function directSecret(enrollment: Enrollment, peerDhPublic: Uint8Array, peer: string): Uint8Array {
  const ids = [toHex(enrollment.keys.deviceId), peer].sort().join(':')
  const shared = dh(enrollment.keys.identity.dh.secretKey, peerDhPublic)
  return hkdf(shared, utf8(ids), 'ui/dm-secret', 32)
}

async function boot(): Promise<AppStores> {
  const enrollment = await identityStore.unsealEnrollment(device.enrollment()!)
  const storageKey = lock.storageKey()!
  const sealer = localSealer(storageKey, secureRandom)
  const org = new OrgReplica(enrollment.anchor, await identityStore.loadOrgLog())
  replica = org
  performance.mark('conch:org-log-reduced')
  const orgStore = createOrgStore(toHex(enrollment.keys.deviceId), org.state)
  org.subscribe((state) => orgStore.setState(state))
  const store = dexieStore('conch', storageKey)
  // Every channel writes as this device: its certified id and the start of its client-id range.
  const deviceId = enrollment.keys.deviceId
  const clientId = decodeCredential(enrollment.credential).device.clientIdRange.start
  // The engine, its crypto provider and the device's signed prekey load after the first paint
  // (dynamic imports: yjs and the sync engine stay out of the initial bundle).
  let orgCrypto: Promise<{ provider: CryptoProvider; keys: DeviceKeys }> | undefined
  const loadOrgCrypto = () =>
    orgCrypto ??= (async () => {
      const [{ defaultProvider }, { createSignedPreKey }] = await Promise.all([
        import('../crypto/provider/default-provider.ts'),
        import('../crypto/x3dh/prekey-bundle.ts'),
      ])
      const provider = await defaultProvider()
      const signedPreKey = await loadSignedPreKey(
        sealer,
        () => createSignedPreKey(provider, enrollment.keys.identity, 1),
      )
      return { provider, keys: { deviceId, identity: enrollment.keys.identity, signedPreKey } }
    })()
  performance.mark('conch:provider-ready')
  const connectivity = new Connectivity()

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
  const admission = (challenge: unknown) => answerChallenge(enrollment, challenge)

  // The org connection: the page's one signaling socket (admission, org-log pushes, and every
  // channel's mesh through a port on it); its status is the app's sync status.
  const [orgStatus, setOrgStatus] = createSignal<SignalingStatus>('connecting')
  // DM doorbells: this connection watches the topic of every possible DM with a colleague, and
  // opens the DM when the colleague's device announces on it.
  const doorbells = new Map<string, string>()
  const orgConnection = signalingConnection({
    url: signalingUrl(),
    answerChallenge: admission,
    onWorkerMessage,
    onStatus: (s) => setOrgStatus(s),
    onAnnounce: (topic) => {
      const peer = doorbells.get(topic)
      const record = peer && org.state.devices.get(peer)
      if (record) channels.join({ kind: 'dm', peer, name: record.displayName })
    },
  })
  const doorbellOf = new Map<string, string>() // device -> topic (one DH per colleague, once)
  const ringDoorbells = () => {
    doorbells.clear()
    for (const member of orgStore.members()) {
      if (member.device === orgStore.me) continue
      let topic = doorbellOf.get(member.device)
      if (!topic) {
        const secret = directSecret(enrollment, member.identityDhPublicKey, member.device)
        topic = channelAddress(secret, DM_CHANNEL_NAME).topic
        doorbellOf.set(member.device, topic)
      }
      doorbells.set(topic, member.device)
    }
    orgConnection.watch(doorbells.keys())
  }
  connectivity.add(orgConnection)

  const openChannel = async (saved: SavedChannel, key: string) => {
    let channelId: Uint8Array
    let topic: string
    let cipher
    let direct: string[] | undefined
    if (saved.kind === 'org') {
      channelId = fromHex(saved.channel)
      topic = toHex(sha256(concatBytes(utf8('conch/v1/topic/'), channelId)))
    } else if (saved.kind === 'dm') {
      // A DM is a two-device channel: its address comes from the pair's static DH (only the two
      // can find it); its content from Sender Keys carried over their Double Ratchet session.
      const peer = org.state.devices.get(saved.peer)
      if (!peer) throw new Error(i18n.t('membersEmpty'))
      const secret = directSecret(enrollment, peer.identityDhPublicKey, saved.peer)
      ;({ channelId, topic } = channelAddress(secret, DM_CHANNEL_NAME))
      direct = [toHex(deviceId), saved.peer]
    } else {
      const secret = fromBase64url(saved.secret)
      ;({ channelId, topic } = channelAddress(secret, saved.name))
      const { sharedKeyChannelCipher } = await import('../crypto/envelope/channel-cipher.ts')
      cipher = sharedKeyChannelCipher(secret, channelId)
    }
    const { ChannelEngine } = await import('./engine/channel-engine.ts')
    const org_ = cipher ? undefined : await loadOrgCrypto()
    const engine = await ChannelEngine.open({
      channelId,
      store,
      deviceId,
      clientId,
      now: () => Date.now(),
      random: secureRandom,
      ...(org_ ? { org: { ...org_, orgState: org.state, direct } } : { cipher }),
    })
    engines.set(key, engine)
    lastEngine = engine
    const ui = createChannelStore(engine)
    const connection = channelConnection({
      signaling: orgConnection.signaling,
      topic,
      engine,
      onStatus: (status, peers, detail) => ui.setConnection(status, peers, detail),
      random: secureRandom,
      linkAuth: saved.kind !== 'link'
        ? {
          anchor: enrollment.anchor,
          orgState: () => org.state,
          credential: enrollment.credential,
          signingSecretKey: enrollment.keys.identity.signing.secretKey,
          now: () => Date.now(),
        }
        : undefined,
    })
    // An org channel this device stops reading (removed from a private channel) leaves the
    // network: its topic, its links; it comes back if the member list names us again.
    const reads = (state: OrgState) =>
      saved.kind !== 'org' || readsChannel(state, toHex(deviceId), saved.channel)
    let online = reads(org.state)
    org.subscribe((state) => {
      engine.setOrgState(state)
      connection.revalidate()
      if (reads(state) === online) return
      online = !online
      if (online) connectivity.add(connection)
      else connectivity.remove(connection)
    })
    if (online) connectivity.add(connection)
    return ui
  }

  const keyOf = (saved: SavedChannel) =>
    saved.kind === 'dm'
      ? `dm-${saved.peer}`
      : saved.kind === 'org'
      ? `org-${saved.channel}`
      : `link-${toHex(channelAddress(fromBase64url(saved.secret), saved.name).channelId)}`

  let index: MessageIndex | undefined
  const indexReady = import('./ui/search/message-index.ts').then((m) =>
    index = new m.MessageIndex()
  )
  const indexing = new Set<string>()
  const [searchVersion, setSearchVersion] = createSignal(0)
  const channels = createRoot(() =>
    createChannelsStore({
      persistence: channelPersistence(sealer),
      orgChannels: orgStore.channels,
      canPublish: orgStore.canPublish,
      opener: { keyOf, open: (saved) => openChannel(saved, keyOf(saved)) },
      onArrived(key, messages) {
        const s = settings.settings()
        if (!s.notifications || document.visibilityState === 'visible') return
        if (!('Notification' in globalThis) || Notification.permission !== 'granted') return
        const last = messages[messages.length - 1]
        const author = orgStore.nameOf(last.author) ??
          i18n.t('unknownDevice', { id: last.author.slice(0, 6) })
        const title = key.startsWith('dm-')
          ? i18n.t('notificationDirect', { author })
          : i18n.t('notificationFrom', { author, channel: channels.nameOf(key) })
        new Notification(title, {
          body: last.text.slice(0, 200),
          tag: key,
        })
      },
      onChange(key, s) {
        // Indexing waits for a quiet moment: it never sits between a message and its paint.
        if (indexing.has(key)) return
        indexing.add(key)
        setTimeout(async () => {
          const idx = index ?? await indexReady
          indexing.delete(key)
          const all = [...s.messages()]
          for (const m of s.messages()) if (m.replies > 0) all.push(...s.thread(m.id))
          idx.syncChannel(key, all)
          setSearchVersion((v) => v + 1)
        }, INDEX_DELAY_MS)
      },
      // Channels open (and restore their history) after the shell's first paint.
      schedule: (task) => requestAnimationFrame(() => setTimeout(task, 0)),
    })
  )
  // After the first paint: one X25519 per colleague is not worth delaying the shell for.
  requestAnimationFrame(() => setTimeout(ringDoorbells, 0))
  org.subscribe(() => ringDoorbells())
  // This device's signed prekey goes into the org log, so colleagues it never met can start a
  // session with it while it is away (client/membership/prekey-publisher.ts).
  requestAnimationFrame(() =>
    setTimeout(async () => {
      const { postOrgLog, startPrekeyPublisher } = await import('./membership/prekey-publisher.ts')
      startPrekeyPublisher({
        org,
        keys: async () => (await loadOrgCrypto()).keys,
        post: postOrgLog(location.origin),
        accepted: (bundle) => {
          const fresh = org.applyBundle(bundle)
          void identityStore.saveOrgEntries(
            fresh.map((e) => ({ id: toHex(e.hash), bytes: e.bytes })),
          )
        },
        now: () => Date.now(),
      })
    }, 0)
  )
  performance.mark('conch:boot-done')
  return {
    i18n,
    settings,
    device,
    lock,
    org: orgStore,
    channels,
    search: {
      query: (q) => {
        searchVersion()
        return index?.search(q) ?? []
      },
      version: searchVersion,
    },
    nav: { route, navigate },
    connection: { status: orgStatus, online: () => orgStatus() === 'open' },
    directChannel: (peer, name) => ({ kind: 'dm', peer, name }),
    verified: createVerifiedDevicesStore(sealedStorage(sealer)),
  }
}

render(
  () => (
    <App route={route} device={device} lock={lock} i18n={i18n} navigate={navigate} boot={boot} />
  ),
  document.getElementById('root')!,
)
