// The log checkpoint: the root signs (org id, entry count, heads) after every write, so
// `log verify` notices a log file replaced by an older copy (docs/protocol/membership.md §13).

import { Reader } from '../../crypto/codec/reader.ts'
import { Writer } from '../../crypto/codec/writer.ts'
import { fail } from '../../crypto/errors/conch-error.ts'
import { sign, verify } from '../../crypto/primitives/ed25519.ts'
import { LOG_CHECKPOINT_CONTEXT, type OrgAnchor } from '../../crypto/membership/index.ts'

export interface Checkpoint {
  count: number
  heads: Uint8Array[]
}

function body(orgId: Uint8Array, cp: Checkpoint): Uint8Array {
  const w = new Writer(128).u8(1).fixed(orgId, 16, 'orgId').varuint(cp.count).varuint(
    cp.heads.length,
  )
  for (const h of cp.heads) w.fixed(h, 32, 'head')
  return w.finish()
}

export function signCheckpoint(
  rootSecretKey: Uint8Array,
  orgId: Uint8Array,
  cp: Checkpoint,
): Uint8Array {
  const b = body(orgId, cp)
  return new Writer(b.length + 64).raw(b).raw(sign(rootSecretKey, LOG_CHECKPOINT_CONTEXT, b))
    .finish()
}

/** Throws `membership/bad-log` unless the root signed this checkpoint for this org. */
export function verifyCheckpoint(anchor: OrgAnchor, bytes: Uint8Array): Checkpoint {
  const r = new Reader(bytes)
  if (r.u8() !== 1) fail('membership/bad-log', 'unknown checkpoint version')
  r.fixed(16)
  const count = r.varuint(10_000_000)
  const n = r.varuint(256)
  const heads: Uint8Array[] = []
  for (let i = 0; i < n; i++) heads.push(r.fixed(32))
  const signed = bytes.subarray(0, r.offset)
  const signature = r.fixed(64)
  r.end()
  const expected = body(anchor.orgId, { count, heads })
  if (
    expected.length !== signed.length || expected.some((b, i) => b !== signed[i]) ||
    !verify(anchor.rootPublicKey, LOG_CHECKPOINT_CONTEXT, signed, signature)
  ) fail('membership/bad-log', 'checkpoint signature does not verify')
  return { count, heads }
}
