// Small records this device keeps in localStorage, sealed under the storage key (except the lock
// record, which is what unwraps that key): the joined channel list with read marks, the signed
// prekey peers start pairwise sessions with, and which colleagues this device has verified.

import { base64url, fromBase64url, fromUtf8, utf8 } from '../../crypto/codec/bytes.ts'
import type { SignedPreKey } from '../../crypto/x3dh/prekey-bundle.ts'
import type { LocalSealer } from '../membership/device-lock.ts'
import type { ChannelPersistence } from '../ui/channels/channels-store.ts'
import { asSavedChannels } from '../ui/channels/saved-channel.ts'

export const LOCK_RECORD = 'conch-device-lock'
const CHANNELS_RECORD = 'conch-channels'
const PREKEY_RECORD = 'conch-signed-prekey'

type KeyValue = Pick<Storage, 'getItem' | 'setItem'>

export function lockRecordStorage(storage: KeyValue = localStorage) {
  return {
    load(): Uint8Array | undefined {
      const v = storage.getItem(LOCK_RECORD)
      try {
        return v ? fromBase64url(v) : undefined
      } catch {
        return undefined
      }
    },
    save(bytes: Uint8Array): void {
      storage.setItem(LOCK_RECORD, base64url(bytes))
    },
  }
}

function readSealed(storage: KeyValue, sealer: LocalSealer, name: string): unknown {
  const sealed = storage.getItem(name)
  if (!sealed) return undefined
  return JSON.parse(fromUtf8(sealer.open(name, fromBase64url(sealed))))
}

function writeSealed(storage: KeyValue, sealer: LocalSealer, name: string, value: unknown): void {
  storage.setItem(name, base64url(sealer.seal(name, utf8(JSON.stringify(value)))))
}

/**
 * A Storage-shaped view whose values are sealed under the storage key at rest (bound to their
 * name); a value that does not open reads as absent.
 */
export function sealedStorage(sealer: LocalSealer, storage: KeyValue = localStorage): KeyValue {
  return {
    getItem(name) {
      const sealed = storage.getItem(name)
      if (!sealed) return null
      try {
        return fromUtf8(sealer.open(name, fromBase64url(sealed)))
      } catch {
        return null
      }
    },
    setItem(name, value) {
      storage.setItem(name, base64url(sealer.seal(name, utf8(value))))
    },
  }
}

export function channelPersistence(
  sealer: LocalSealer,
  storage: KeyValue = localStorage,
): ChannelPersistence {
  return {
    load() {
      try {
        const v = readSealed(storage, sealer, CHANNELS_RECORD) as
          | Record<string, unknown>
          | undefined
        const marks: Record<string, number> = {}
        if (v && typeof v.readMarks === 'object' && v.readMarks) {
          for (const [k, n] of Object.entries(v.readMarks)) {
            if (typeof n === 'number' && Number.isSafeInteger(n)) marks[k] = n
          }
        }
        return { channels: asSavedChannels(v?.channels), readMarks: marks }
      } catch {
        return { channels: [], readMarks: {} }
      }
    },
    save(channels, readMarks) {
      writeSealed(storage, sealer, CHANNELS_RECORD, { channels, readMarks })
    },
  }
}

/** The signed prekey, kept across reloads (pairwise sessions in flight name its id). */
export async function loadSignedPreKey(
  sealer: LocalSealer,
  create: () => Promise<SignedPreKey>,
  storage: KeyValue = localStorage,
): Promise<SignedPreKey> {
  try {
    const v = readSealed(storage, sealer, PREKEY_RECORD) as Record<string, string> | undefined
    if (v) {
      return {
        id: Number(v.id),
        keyPair: { publicKey: fromBase64url(v.pub), secretKey: fromBase64url(v.sec) },
        signature: fromBase64url(v.sig),
      }
    }
  } catch {
    // Damaged: make a new one; peers learn it from our next HELLO.
  }
  const fresh = await create()
  writeSealed(storage, sealer, PREKEY_RECORD, {
    id: fresh.id,
    pub: base64url(fresh.keyPair.publicKey),
    sec: base64url(fresh.keyPair.secretKey),
    sig: base64url(fresh.signature),
  })
  return fresh
}
