// This device's Double Ratchet sessions with other devices (X3DH from their verified prekey
// bundles): encrypt to a device, decrypt from one. Several sessions per peer are kept (both
// sides may start one at once); each decrypt tries them, and decrypt is transactional.

import { equalBytes } from '../../crypto/codec/bytes.ts'
import { fail, isConchError } from '../../crypto/errors/conch-error.ts'
import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import type { RatchetState } from '../../crypto/ratchet/ratchet-state.ts'
import { decodeRatchetState, encodeRatchetState } from '../../crypto/ratchet/ratchet-state-codec.ts'
import {
  acceptPairwise,
  decryptPairwise,
  encryptPairwise,
  initialBaseKey,
} from '../../crypto/session/pairwise-session.ts'
import type { IdentityKeyPair, PublicIdentity } from '../../crypto/x3dh/identity.ts'
import type { PrekeyBundle, SignedPreKey } from '../../crypto/x3dh/prekey-bundle.ts'
import { initiateSession } from '../../crypto/x3dh/x3dh-initiate.ts'

const MAX_SESSIONS_PER_PEER = 3

export interface SessionSecrets {
  /** Secret rows to persist (name -> bytes) after a call changed them. */
  changed: { name: string; value: Uint8Array }[]
}

export class PairwiseSessions {
  private readonly sessions = new Map<string, RatchetState[]>()
  private seenBaseKeys: readonly Uint8Array[] = []
  private readonly restarting = new Set<string>()

  constructor(
    private readonly provider: CryptoProvider,
    private readonly identity: IdentityKeyPair,
    private readonly signedPreKey: SignedPreKey,
    /**
     * Sessions are per channel engine (rows `session/<namespace>/...`): two engines sharing one
     * ratchet state through storage could encrypt twice under one message key.
     */
    private readonly namespace: string,
  ) {}

  /** Restores from `session/<namespace>/<device>/<i>` and `prekey-seen/<namespace>` rows. */
  restore(rows: { name: string; value: Uint8Array }[]): void {
    for (const row of rows) {
      const [kind, namespace, device] = row.name.split('/')
      if (namespace !== this.namespace) continue
      if (kind === 'session' && device) {
        const list = this.sessions.get(device) ?? []
        list.push(decodeRatchetState(row.value))
        this.sessions.set(device, list)
      } else if (kind === 'prekey-seen') {
        const keys: Uint8Array[] = []
        for (let i = 0; i + 32 <= row.value.length; i += 32) keys.push(row.value.slice(i, i + 32))
        this.seenBaseKeys = keys
      }
    }
  }

  /**
   * The peer says it cannot open our messages (it lost its state): the next message starts a
   * new session (X3DH), kept in front; the old ones stay, to open what is still in flight.
   */
  restart(device: string): void {
    this.restarting.add(device)
  }

  has(device: string): boolean {
    return (this.sessions.get(device)?.length ?? 0) > 0
  }

  private rows(device: string): { name: string; value: Uint8Array }[] {
    return (this.sessions.get(device) ?? []).map((s, i) => ({
      name: `session/${this.namespace}/${device}/${i}`,
      value: encodeRatchetState(s),
    }))
  }

  async encrypt(
    device: string,
    remote: PublicIdentity,
    bundle: PrekeyBundle | undefined,
    plaintext: Uint8Array,
  ): Promise<{ envelope: Uint8Array } & SessionSecrets> {
    let list = this.sessions.get(device) ?? []
    if (!list.length || this.restarting.has(device)) {
      if (!bundle) fail('protocol/no-session', 'no prekey bundle for device')
      const state = await initiateSession(this.provider, {
        identity: this.identity,
        bundle,
        responder: remote,
      })
      this.restarting.delete(device)
      this.sessions.set(device, list = [state, ...list].slice(0, MAX_SESSIONS_PER_PEER))
    }
    const result = await encryptPairwise(this.provider, list[0], plaintext)
    list[0] = result.state
    return { envelope: result.envelope, changed: this.rows(device) }
  }

  async decrypt(
    device: string,
    remote: PublicIdentity,
    envelope: Uint8Array,
  ): Promise<{ plaintext: Uint8Array } & SessionSecrets> {
    const list = this.sessions.get(device) ?? []
    const base = initialBaseKey(envelope)
    for (let i = 0; i < list.length; i++) {
      if (base && !equalBytes(base, list[i].baseKey)) continue
      try {
        const { state, plaintext } = await decryptPairwise(this.provider, list[i], envelope)
        list[i] = state
        return { plaintext, changed: this.rows(device) }
      } catch (e) {
        if (!isConchError(e) || base) throw e
      }
    }
    if (!base) fail('protocol/no-session', 'no session decrypts this message')
    const result = await acceptPairwise(this.provider, {
      identity: this.identity,
      initiator: remote,
      signedPreKey: this.signedPreKey,
      oneTimePreKey: undefined,
      seenBaseKeys: this.seenBaseKeys,
    }, envelope)
    this.seenBaseKeys = result.seenBaseKeys
    const next = [...list, result.state].slice(-MAX_SESSIONS_PER_PEER)
    this.sessions.set(device, next)
    const seen = new Uint8Array(this.seenBaseKeys.length * 32)
    this.seenBaseKeys.forEach((k, i) => seen.set(k, i * 32))
    return {
      plaintext: result.plaintext,
      changed: [...this.rows(device), { name: `prekey-seen/${this.namespace}`, value: seen }],
    }
  }
}
