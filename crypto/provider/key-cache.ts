// A small cache of imported WebCrypto keys, keyed by the byte array they came from, so a key used
// twice (our ratchet key, a sender's signing key) is imported once. Entries remember a copy of
// the bytes: if the caller mutates or wipes the array, the stale entry is ignored.

import { equalBytes } from '../codec/bytes.ts'

export class KeyCache<K = CryptoKey> {
  private readonly entries = new WeakMap<Uint8Array, { bytes: Uint8Array; key: K }>()

  get(bytes: Uint8Array): K | undefined {
    const hit = this.entries.get(bytes)
    return hit && equalBytes(hit.bytes, bytes) ? hit.key : undefined
  }

  set(bytes: Uint8Array, key: K): void {
    this.entries.set(bytes, { bytes: bytes.slice(), key })
  }

  async getOrImport(bytes: Uint8Array, load: () => Promise<K>): Promise<K> {
    const hit = this.get(bytes)
    if (hit) return hit
    const key = await load()
    this.set(bytes, key)
    return key
  }

  /** Synchronous twin of getOrImport, for engines whose imports are synchronous. */
  getOrLoad(bytes: Uint8Array, load: () => K): K {
    const hit = this.get(bytes)
    if (hit !== undefined) return hit
    const key = load()
    this.set(bytes, key)
    return key
  }
}
