// A small cache of imported WebCrypto keys, keyed by the byte array they came from, so a key used
// twice (our ratchet key, a sender's signing key) is imported once. Entries remember a copy of
// the bytes: if the caller mutates or wipes the array, the stale entry is ignored.

import { equalBytes } from '../codec/bytes.ts'

export class KeyCache {
  private readonly entries = new WeakMap<Uint8Array, { bytes: Uint8Array; key: CryptoKey }>()

  get(bytes: Uint8Array): CryptoKey | undefined {
    const hit = this.entries.get(bytes)
    return hit && equalBytes(hit.bytes, bytes) ? hit.key : undefined
  }

  set(bytes: Uint8Array, key: CryptoKey): void {
    this.entries.set(bytes, { bytes: bytes.slice(), key })
  }

  async getOrImport(bytes: Uint8Array, load: () => Promise<CryptoKey>): Promise<CryptoKey> {
    const hit = this.get(bytes)
    if (hit) return hit
    const key = await load()
    this.set(bytes, key)
    return key
  }
}
