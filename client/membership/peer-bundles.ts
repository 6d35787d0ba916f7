// Colleagues' X3DH prekey bundles, from two sources: HELLO/BUNDLE frames on live links and the
// org log's prekey directory (docs/protocol/membership.md §6). Each is verified against the
// device's certified identity before use; the newest signed prekey wins, the directory a tie.

import { equalBytes } from '../../crypto/codec/bytes.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import { directoryBundle } from '../../crypto/membership/prekey-directory.ts'
import type { OrgState } from '../../crypto/membership/org-state.ts'
import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import type { PublicIdentity } from '../../crypto/x3dh/identity.ts'
import {
  decodePrekeyBundle,
  type PrekeyBundle,
  verifySignedPreKey,
} from '../../crypto/x3dh/prekey-bundle.ts'

/** The certified identity of an issued device, from the org state (never a bundle's claim). */
export function certifiedIdentity(state: OrgState, device: string): PublicIdentity | undefined {
  const d = state.devices.get(device)
  return d && { signingKey: d.signingPublicKey, dhKey: d.identityDhPublicKey }
}

export class PeerBundles {
  /** Bundles from links, verified. */
  private readonly heard = new Map<string, PrekeyBundle>()
  /** Directory bundles checked so far, by device: the entry checked and the bundle if it passed. */
  private readonly checked = new Map<string, { entryId: string; bundle?: PrekeyBundle }>()

  constructor(private readonly provider: CryptoProvider) {}

  get size(): number {
    return this.heard.size
  }

  /**
   * A bundle heard on a link, decoded, if it is worth verifying: new to us, and not older than
   * the directory's (a different key under the same or a lower id is a stale or equivocating
   * bundle: the directory's stands). Undefined otherwise, and for malformed bytes.
   */
  candidate(state: OrgState, device: string, bytes: Uint8Array): PrekeyBundle | undefined {
    let bundle: PrekeyBundle
    try {
      bundle = decodePrekeyBundle(bytes)
    } catch (e) {
      if (isConchError(e)) return undefined
      throw e
    }
    const known = this.heard.get(device)
    if (known && equalBytes(known.signedPreKey, bundle.signedPreKey)) return undefined
    const listed = state.prekeys.get(device)
    if (
      listed && listed.prekeyId >= bundle.signedPreKeyId &&
      !equalBytes(listed.prekey, bundle.signedPreKey)
    ) return undefined
    return bundle
  }

  /** Keeps a heard bundle if its signed prekey is signed by `identity` (the certified one). */
  async learn(device: string, identity: PublicIdentity, bundle: PrekeyBundle): Promise<boolean> {
    if (!(await verifySignedPreKey(this.provider, identity, bundle))) return false
    const known = this.heard.get(device)
    if (known && known.signedPreKeyId > bundle.signedPreKeyId) return false
    this.heard.set(device, bundle)
    return true
  }

  /**
   * The bundle to start a session with `device`: its directory bundle (verified once per entry)
   * or the one heard on a link, whichever has the higher signed-prekey id; the directory wins a
   * tie. Undefined when neither exists, e.g. a colleague who never linked and never published.
   */
  async bundleFor(state: OrgState, device: string): Promise<PrekeyBundle | undefined> {
    const heard = this.heard.get(device)
    const listed = await this.verifiedDirectoryBundle(state, device)
    if (!listed) return heard
    return heard && heard.signedPreKeyId > listed.signedPreKeyId ? heard : listed
  }

  private async verifiedDirectoryBundle(
    state: OrgState,
    device: string,
  ): Promise<PrekeyBundle | undefined> {
    const record = state.prekeys.get(device)
    const identity = certifiedIdentity(state, device)
    if (!record || !identity) return undefined
    const seen = this.checked.get(device)
    if (seen?.entryId === record.entryId) return seen.bundle
    const bundle = directoryBundle(state, device)
    // The reducer checked this signature; a state from elsewhere (or a bug) must not reach X3DH
    // unchecked, and X3DH would refuse it anyway: checked here once, so it never wins a choice.
    const ok = bundle !== undefined && await verifySignedPreKey(this.provider, identity, bundle)
    this.checked.set(device, { entryId: record.entryId, bundle: ok ? bundle : undefined })
    return ok ? bundle : undefined
  }
}
