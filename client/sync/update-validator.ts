// Ownership check on a decrypted Yjs update, before it may reach Y.applyUpdate (DESIGN §6): every
// struct must be the author's own (client ids from its certificate), may only sit in the author's
// own entries (keys prefixed with its device id, see docs/protocol/client.md §Channel document),
// and may only delete the author's own structs — unless the author moderates (admins).

import * as Y from 'yjs'

/** Root maps of the channel document; nothing else may be written. */
export const DOCUMENT_ROOTS: ReadonlySet<string> = new Set(['messages', 'reactions', 'receipts'])

export interface AuthorRights {
  /** True for the Yjs client ids the author's certificate assigns it. */
  ownsClient(client: number): boolean
  /** Every entry the author creates is keyed `${keyPrefix}...` (its hex device id and ':'). */
  keyPrefix: string
  /** False in a broadcast channel for anyone but publishers. */
  mayWrite: boolean
  /** Admins may delete other authors' entries (moderation), never write into them. */
  mayModerate: boolean
}

export type UpdateRejection =
  | 'malformed-update'
  | 'foreign-client'
  | 'foreign-entry'
  | 'foreign-delete'
  | 'not-publisher'
  | 'forbidden-content'

/** Returns why the update must be rejected, or undefined when it may be applied. */
export function validateUpdate(
  update: Uint8Array,
  rights: AuthorRights,
): UpdateRejection | undefined {
  let decoded: ReturnType<typeof Y.decodeUpdate>
  try {
    decoded = Y.decodeUpdate(update)
  } catch {
    return 'malformed-update'
  }
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue
    if (!rights.ownsClient(struct.id.client)) return 'foreign-client'
    if (!(struct instanceof Y.Item)) continue // GC: the author's own collected range
    if (!rights.mayWrite) return 'not-publisher'
    const content = struct.content
    if (!(content instanceof Y.ContentAny) && !(content instanceof Y.ContentDeleted)) {
      return 'forbidden-content'
    }
    if (struct.origin || struct.rightOrigin) {
      // Placed next to another struct, it inherits that struct's entry: it must be the author's.
      if (struct.origin && !rights.ownsClient(struct.origin.client)) return 'foreign-entry'
      if (struct.rightOrigin && !rights.ownsClient(struct.rightOrigin.client)) {
        return 'foreign-entry'
      }
      if (struct.parent !== null) return 'foreign-entry'
    } else {
      if (typeof struct.parent !== 'string' || !DOCUMENT_ROOTS.has(struct.parent)) {
        return 'foreign-entry'
      }
      if (typeof struct.parentSub !== 'string' || !struct.parentSub.startsWith(rights.keyPrefix)) {
        return 'foreign-entry'
      }
    }
  }
  for (const [client, deletions] of decoded.ds.clients) {
    if (deletions.length && !rights.ownsClient(client) && !rights.mayModerate) {
      return 'foreign-delete'
    }
  }
  return undefined
}
