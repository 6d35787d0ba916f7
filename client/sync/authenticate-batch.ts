// Catch-up authentication by hash chain: in one author's batch, the newest envelope's signature
// is checked and each older envelope is authenticated by being named as `prev` by an
// authenticated successor, so an honest batch costs one signature check per author, not one per
// envelope (DESIGN §6). Any link that does not chain falls back to its own signature check.

import { equalBytes } from '../../crypto/codec/bytes.ts'
import type { DecodedEnvelope } from './envelope.ts'

export interface BatchResult {
  authenticated: DecodedEnvelope[]
  rejected: DecodedEnvelope[]
  /** How many signatures were checked for the batch (a measure, for stats and benchmarks). */
  signatureChecks: number
}

/**
 * @param batch envelopes of one author in one channel, any order, duplicates allowed
 * @param heldPrev `prev` of the author's envelope at `seq` if we already hold (and so have
 *   authenticated) it, else undefined: an older envelope it names is authenticated for free
 * @param verify checks one envelope's device signature
 */
export async function authenticateBatch(
  batch: readonly DecodedEnvelope[],
  heldPrev: (seq: number) => Uint8Array | undefined,
  verify: (e: DecodedEnvelope) => Promise<boolean>,
): Promise<BatchResult> {
  const bySeq = new Map<number, DecodedEnvelope>()
  for (const e of batch) if (!bySeq.has(e.envelope.seq)) bySeq.set(e.envelope.seq, e)
  const ordered = [...bySeq.values()].sort((a, b) => b.envelope.seq - a.envelope.seq)
  const authenticated: DecodedEnvelope[] = []
  const rejected: DecodedEnvelope[] = []
  let signatureChecks = 0
  let successor: DecodedEnvelope | undefined
  for (const e of ordered) {
    const seq = e.envelope.seq
    const namedBy = successor && successor.envelope.seq === seq + 1
      ? successor.envelope.prev
      : heldPrev(seq + 1)
    let ok = namedBy !== undefined && equalBytes(namedBy, e.hash)
    if (!ok) {
      signatureChecks++
      ok = await verify(e)
    }
    if (ok) {
      authenticated.push(e)
      successor = e
    } else {
      rejected.push(e)
    }
  }
  authenticated.reverse()
  return { authenticated, rejected, signatureChecks }
}
