// Peer authentication inside every link (docs/protocol/transport.md §2): before the engine sees a
// link, both ends prove a device credential of the org and a signature over a transcript binding
// both fresh nonces and both transport channel bindings. What signaling or a relay claims about a
// peer counts for nothing; only this proof, checked against the org state we hold, does.

import { type ConchErrorCode, isConchError } from '../../crypto/errors/conch-error.ts'
import type { OrgAnchor } from '../../crypto/membership/org-anchor.ts'
import type { DeviceIdentity, OrgState } from '../../crypto/membership/org-state.ts'
import { verifyCredential } from '../../crypto/membership/verify-credential.ts'
import { equalBytes } from '../../crypto/codec/bytes.ts'
import { sign, verify } from '../../crypto/primitives/ed25519.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import {
  decodeLinkAuthFrame,
  encodeLinkAuthFrame,
  LINK_AUTH_CONTEXT,
  LINK_AUTH_HELLO,
  LINK_AUTH_NONCE_LENGTH,
  LINK_AUTH_PROOF,
  type LinkAuthFrame,
  linkAuthTranscript,
} from './link-auth-frames.ts'
import type { LinkEvents, PeerLink } from './peer-link.ts'

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 15_000
const NO_BINDING = new Uint8Array(0)

/** Why a link was refused; peer-facing, the link just closes. */
export type LinkRejection = ConchErrorCode | 'timeout' | 'protocol' | 'policy' | 'no-binding'

export interface LinkAuthOptions {
  anchor: OrgAnchor
  /** The org state as this device knows it now; read at every check (it changes). */
  orgState(): OrgState
  /** This device's encoded credential (crypto/membership `encodeCredential`). */
  credential: Uint8Array
  /** This device's Ed25519 signing secret key (the one its certificate names). */
  signingSecretKey: Uint8Array
  now(): number
  random: RandomSource
  /** Extra policy after the credential checks out, e.g. "relays only" or "not myself". */
  accept?(identity: DeviceIdentity, link: PeerLink): boolean
  /** Refuse links whose transport gives no channel binding (WebRTC without readable SDPs). */
  requireBinding?: boolean
  handshakeTimeoutMs?: number
  /** Injected timer (tests); defaults to setTimeout. Returns a cancel function. */
  setTimer?(fn: () => void, ms: number): () => void
  onRejected?(link: PeerLink, reason: LinkRejection): void
}

/** A link whose far end proved a device credential; what the engine and the mailbox see. */
export interface AuthenticatedLink extends PeerLink {
  readonly identity: DeviceIdentity
  /** The encoded credential the peer proved (kept for revalidation and diagnostics). */
  readonly credential: Uint8Array
  readonly raw: PeerLink
}

export interface LinkAuthStats {
  started: number
  authenticated: number
  rejected: Partial<Record<LinkRejection, number>>
  dropped: number
}

export interface LinkAuthenticator {
  /** Hand these to the transport: raw links in, authenticated links out to the inner events. */
  readonly events: LinkEvents
  readonly stats: LinkAuthStats
  links(): AuthenticatedLink[]
  /** Re-checks every authenticated link against the current org state and clock; drops the
   * revoked, expired and no-longer-accepted. Call after each org log update. Returns drops. */
  revalidate(): number
}

interface LinkState {
  nonce: Uint8Array
  theirNonce: Uint8Array | undefined
  authed: AuthenticatedLink | undefined
  failed: boolean
  cancelTimer: () => void
}

function defaultTimer(fn: () => void, ms: number): () => void {
  const t = setTimeout(fn, ms)
  return () => clearTimeout(t)
}

/**
 * Wraps `inner` (usually the engine's linkUp/linkDown/receive) so that it only ever sees
 * authenticated links. Give the returned `events` to a transport (WebRTC mesh, libp2p).
 */
export function authenticateLinks(inner: LinkEvents, opts: LinkAuthOptions): LinkAuthenticator {
  const states = new Map<PeerLink, LinkState>()
  const stats: LinkAuthStats = { started: 0, authenticated: 0, rejected: {}, dropped: 0 }
  const setTimer = opts.setTimer ?? defaultTimer
  const timeout = opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS

  const reject = (raw: PeerLink, state: LinkState, reason: LinkRejection): void => {
    if (state.failed) return
    state.failed = true
    state.cancelTimer()
    stats.rejected[reason] = (stats.rejected[reason] ?? 0) + 1
    opts.onRejected?.(raw, reason)
    try {
      raw.close?.()
    } catch {
      // Already closing.
    }
  }

  const send = (raw: PeerLink, frame: LinkAuthFrame): void => {
    try {
      raw.send(encodeLinkAuthFrame(frame))
    } catch {
      // The link is going down; its `down` event cleans up.
    }
  }

  /** Credential + policy checks; throws a ConchError (or returns 'policy') when not acceptable. */
  const check = (credential: Uint8Array, raw: PeerLink): DeviceIdentity | 'policy' => {
    const identity = verifyCredential(opts.anchor, opts.orgState(), credential, opts.now())
    if (opts.accept && !opts.accept(identity, raw)) return 'policy'
    return identity
  }

  const onProof = (
    raw: PeerLink,
    state: LinkState,
    credential: Uint8Array,
    signature: Uint8Array,
  ): void => {
    if (!state.theirNonce || state.authed) return reject(raw, state, 'protocol')
    let identity: DeviceIdentity | 'policy'
    try {
      identity = check(credential, raw)
    } catch (e) {
      if (!isConchError(e)) throw e
      return reject(raw, state, e.code)
    }
    if (identity === 'policy') return reject(raw, state, 'policy')
    const binding = raw.binding
    const transcript = linkAuthTranscript({
      orgId: opts.anchor.orgId,
      signerNonce: state.theirNonce,
      peerNonce: state.nonce,
      signerBinding: binding?.remote ?? NO_BINDING,
      peerBinding: binding?.local ?? NO_BINDING,
    })
    if (!verify(identity.signingPublicKey, LINK_AUTH_CONTEXT, transcript, signature)) {
      return reject(raw, state, 'crypto/bad-signature')
    }
    state.cancelTimer()
    const authed: AuthenticatedLink = {
      id: raw.id,
      kind: raw.kind,
      identity,
      credential,
      raw,
      send: (frame) => raw.send(frame),
      close: () => raw.close?.(),
      binding: raw.binding,
    }
    state.authed = authed
    stats.authenticated++
    inner.up(authed)
  }

  const onHello = (raw: PeerLink, state: LinkState, nonce: Uint8Array): void => {
    // A second hello, or our own nonce reflected back at us, is not an honest peer.
    if (state.theirNonce || equalBytes(nonce, state.nonce)) return reject(raw, state, 'protocol')
    state.theirNonce = nonce
    const binding = raw.binding
    const transcript = linkAuthTranscript({
      orgId: opts.anchor.orgId,
      signerNonce: state.nonce,
      peerNonce: nonce,
      signerBinding: binding?.local ?? NO_BINDING,
      peerBinding: binding?.remote ?? NO_BINDING,
    })
    const signature = sign(opts.signingSecretKey, LINK_AUTH_CONTEXT, transcript)
    send(raw, { type: LINK_AUTH_PROOF, credential: opts.credential, signature })
  }

  const events: LinkEvents = {
    up(raw) {
      if (states.has(raw)) return
      stats.started++
      const state: LinkState = {
        nonce: opts.random(LINK_AUTH_NONCE_LENGTH),
        theirNonce: undefined,
        authed: undefined,
        failed: false,
        cancelTimer: () => {},
      }
      states.set(raw, state)
      if (opts.requireBinding && !raw.binding) return reject(raw, state, 'no-binding')
      state.cancelTimer = setTimer(() => {
        if (!state.authed) reject(raw, state, 'timeout')
      }, timeout)
      send(raw, { type: LINK_AUTH_HELLO, nonce: state.nonce })
    },
    down(raw) {
      const state = states.get(raw)
      if (!state) return
      states.delete(raw)
      state.cancelTimer()
      if (state.authed && !state.failed) inner.down(state.authed)
    },
    frame(raw, bytes) {
      const state = states.get(raw)
      if (!state || state.failed) return
      // After the proofs, the link carries only the engine's frames, untouched.
      if (state.authed) return inner.frame(state.authed, bytes)
      let frame: LinkAuthFrame
      try {
        frame = decodeLinkAuthFrame(bytes)
      } catch (e) {
        if (!isConchError(e)) throw e
        return reject(raw, state, 'protocol')
      }
      if (frame.type === LINK_AUTH_HELLO) onHello(raw, state, frame.nonce)
      else onProof(raw, state, frame.credential, frame.signature)
    },
  }

  return {
    events,
    stats,
    links: () => [...states.values()].flatMap((s) => s.authed && !s.failed ? [s.authed] : []),
    revalidate() {
      let drops = 0
      for (const [raw, state] of states) {
        if (!state.authed || state.failed) continue
        let ok = false
        try {
          ok = check(state.authed.credential, raw) !== 'policy'
        } catch (e) {
          if (!isConchError(e)) throw e
        }
        if (ok) continue
        drops++
        stats.dropped++
        state.failed = true
        inner.down(state.authed)
        try {
          raw.close?.()
        } catch {
          // Already closing.
        }
      }
      return drops
    },
  }
}
