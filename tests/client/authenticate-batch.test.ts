// The hash-chain catch-up check: one signature per honest batch, and every way a batch can lie
// falls back to (and fails) per-envelope signature checks.
import { describe, expect, it } from 'vitest'
import { authenticateBatch } from '../../client/sync/authenticate-batch.ts'
import {
  type DecodedEnvelope,
  decodeEnvelope,
  encodeEnvelope,
  encodeSignedPart,
  ZERO_HASH,
} from '../../client/sync/envelope.ts'

/** A chain of `n` envelopes, each "signed" (signature byte 0 = 1 passes `genuine`). */
function chain(n: number, tamperPrevAt?: number): DecodedEnvelope[] {
  const out: DecodedEnvelope[] = []
  let prev: Uint8Array = ZERO_HASH
  for (let seq = 1; seq <= n; seq++) {
    const header = {
      scheme: 2,
      channelId: new Uint8Array(16),
      epoch: 0,
      author: new Uint8Array(16).fill(1),
      seq,
      prev: seq === tamperPrevAt ? new Uint8Array(32).fill(9) : prev,
    }
    const d = decodeEnvelope(
      encodeEnvelope(encodeSignedPart(header, new Uint8Array([seq])), new Uint8Array(64).fill(1)),
    )
    out.push(d)
    prev = d.hash
  }
  return out
}

const genuine = (d: DecodedEnvelope) => Promise.resolve(d.envelope.signature[0] === 1)

describe('authenticateBatch', () => {
  it('an honest batch of 500, in any order, costs one signature check', async () => {
    const batch = chain(500).reverse()
    const r = await authenticateBatch(batch, () => undefined, genuine)
    expect(r.signatureChecks).toBe(1)
    expect(r.authenticated.map((d) => d.envelope.seq)).toEqual(
      Array.from({ length: 500 }, (_, i) => i + 1),
    )
  })

  it('a forged newest envelope does not vouch for the rest; they are checked one by one', async () => {
    const batch = chain(5)
    batch[4] = decodeEnvelope(
      encodeEnvelope(batch[4].signedBytes, new Uint8Array(64).fill(2)), // bad signature
    )
    const r = await authenticateBatch(batch, () => undefined, genuine)
    expect(r.rejected.map((d) => d.envelope.seq)).toEqual([5])
    expect(r.authenticated).toHaveLength(4)
    expect(r.signatureChecks).toBe(2) // seq 5 fails, seq 4 vouches for 1..3
  })

  it('a link that does not chain costs its own signature; an unsigned one is refused', async () => {
    const batch = chain(6, 4) // seq 4 names a wrong predecessor: 3 is not vouched for by 4
    batch[2] = decodeEnvelope(encodeEnvelope(batch[2].signedBytes, new Uint8Array(64)))
    const r = await authenticateBatch(batch, () => undefined, genuine)
    expect(r.rejected.map((d) => d.envelope.seq)).toEqual([3])
    expect(r.authenticated.map((d) => d.envelope.seq)).toEqual([1, 2, 4, 5, 6])
  })

  it('an envelope we already hold vouches for its predecessor', async () => {
    const all = chain(3)
    const r = await authenticateBatch(
      [all[1]],
      (seq) => (seq === 3 ? all[2].envelope.prev : undefined),
      () => Promise.resolve(false),
    )
    expect(r.authenticated).toHaveLength(1)
    expect(r.signatureChecks).toBe(0)
  })
})
