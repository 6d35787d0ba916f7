// EnvelopeStore over any RawStore, with every plaintext and key sealed at rest: XChaCha20-Poly1305
// under the device storage key, a fresh 24-byte nonce per write, `table/key` as associated data
// so a row cannot be moved to another slot. Envelopes stay as received (end-to-end encrypted and
// signed already). Row keys hold only ids and sequence numbers.

import { concatBytes, fromUtf8, utf8 } from '../../crypto/codec/bytes.ts'
import { decodeExactly } from '../../crypto/codec/reader.ts'
import { Writer } from '../../crypto/codec/writer.ts'
import { fail } from '../../crypto/errors/conch-error.ts'
import { AEAD_NONCE_LENGTH } from '../../crypto/primitives/aead.ts'
import { nobleSymmetric, type SymmetricPrimitives } from '../../crypto/provider/symmetric.ts'
import { type RandomSource, secureRandom } from '../../crypto/primitives/random.ts'
import type { EnvelopeStore, StoredEnvelope, StoredSnapshot } from './envelope-store.ts'
import type { RawRow, RawStore } from './raw-store.ts'

const ENVELOPES = 'envelope'
const UPDATES = 'update'
const SNAPSHOTS = 'snapshot'
const SECRETS = 'secret'
const ORG_LOG = 'org-log'
const DEVICE = 'device'

const seqKey = (channel: string, author: string, seq: number) =>
  `${channel}/${author}/${seq.toString().padStart(16, '0')}`

export function sealedStore(
  raw: RawStore,
  storageKey: Uint8Array,
  random: RandomSource = secureRandom,
  /** XChaCha20-Poly1305: noble by default, a provider's native one where it has it. */
  aead: Pick<SymmetricPrimitives, 'seal' | 'open'> = nobleSymmetric,
): EnvelopeStore {
  if (storageKey.length !== 32) fail('crypto/bad-key', 'storage key length')
  const key = storageKey.slice()
  const sealRow = (table: string, rowKey: string, value: Uint8Array): RawRow => {
    const nonce = random(AEAD_NONCE_LENGTH)
    const ad = utf8(`${table}/${rowKey}`)
    return { table, key: rowKey, value: concatBytes(nonce, aead.seal(key, nonce, value, ad)) }
  }
  const openRow = (row: RawRow): Uint8Array => {
    if (row.value.length < AEAD_NONCE_LENGTH) fail('storage/corrupt', 'short row')
    try {
      return aead.open(
        key,
        row.value.subarray(0, AEAD_NONCE_LENGTH),
        row.value.subarray(AEAD_NONCE_LENGTH),
        utf8(`${row.table}/${row.key}`),
      )
    } catch {
      return fail('storage/corrupt', 'row does not open under the storage key')
    }
  }
  const get = async (table: string, rowKey: string) => {
    const value = await raw.get(table, rowKey)
    return value && openRow({ table, key: rowKey, value })
  }
  const envelopeRows = (e: StoredEnvelope): RawRow[] => {
    const k = seqKey(e.channel, e.author, e.seq)
    // The envelope is kept as received: it is already end-to-end encrypted and signed (and its
    // keys, in the secret table, are sealed); sealing it again would only double the cost.
    const rows: RawRow[] = [{ table: ENVELOPES, key: k, value: e.bytes }]
    if (e.update) rows.push(sealRow(UPDATES, k, e.update))
    return rows
  }
  const store: EnvelopeStore = {
    async commit(batch) {
      const puts: RawRow[] = []
      const deletes: { table: string; key: string }[] = []
      for (const e of batch.envelopes ?? []) puts.push(...envelopeRows(e))
      for (const s of batch.secrets ?? []) puts.push(sealRow(SECRETS, s.name, s.value))
      for (const name of batch.deleteSecrets ?? []) deletes.push({ table: SECRETS, key: name })
      if (batch.snapshot) {
        puts.push(sealRow(SNAPSHOTS, batch.snapshot.channel, encodeSnapshot(batch.snapshot)))
      }
      for (const d of batch.dropUpdates ?? []) {
        deletes.push({ table: UPDATES, key: seqKey(d.channel, d.author, d.seq) })
      }
      await raw.write(puts, deletes)
    },
    putEnvelope(e) {
      return raw.write(envelopeRows(e))
    },
    async listEnvelopes(channel) {
      const [envelopes, updates] = await Promise.all([
        raw.list(ENVELOPES, `${channel}/`),
        raw.list(UPDATES, `${channel}/`),
      ])
      const byKey = new Map(updates.map((u) => [u.key, u]))
      return envelopes.map((row) => {
        const [, author, seq] = row.key.split('/')
        const u = byKey.get(row.key)
        return {
          channel,
          author,
          seq: Number(seq),
          bytes: row.value,
          update: u && openRow(u),
        }
      })
    },
    async loadSnapshot(channel) {
      const bytes = await get(SNAPSHOTS, channel)
      return bytes && decodeSnapshot(channel, bytes)
    },
    getSecret: (name) => get(SECRETS, name),
    async listSecrets(prefix) {
      return (await raw.list(SECRETS, prefix)).map((r) => ({ name: r.key, value: openRow(r) }))
    },
    putOrgEntries(entries) {
      return raw.write(entries.map((e) => sealRow(ORG_LOG, e.id, e.bytes)))
    },
    async listOrgEntries() {
      return (await raw.list(ORG_LOG, '')).map(openRow)
    },
    async loadDevice() {
      const bytes = await get(DEVICE, 'self')
      if (!bytes) return undefined
      return decodeExactly(bytes, (r) => ({ deviceId: r.fixed(16), clientId: r.varuint() }))
    },
    saveDevice(d) {
      const bytes = new Writer(24).fixed(d.deviceId, 16, 'deviceId').varuint(d.clientId).finish()
      return raw.write([sealRow(DEVICE, 'self', bytes)])
    },
    async wipe() {
      await raw.clear()
      key.fill(0)
    },
  }
  return store
}

function encodeSnapshot(s: StoredSnapshot): Uint8Array {
  const w = new Writer(s.doc.length + 64 * s.vector.length + 16).bytes(s.doc)
  w.varuint(s.vector.length)
  for (const v of s.vector) w.bytes(utf8(v.author)).varuint(v.seq).fixed(v.hash, 32, 'hash')
  return w.finish()
}

function decodeSnapshot(channel: string, bytes: Uint8Array): StoredSnapshot {
  return decodeExactly(bytes, (r) => {
    const doc = r.bytes(1 << 30)
    const count = r.varuint(1 << 20)
    const vector = []
    for (let i = 0; i < count; i++) {
      vector.push({ author: fromUtf8(r.bytes(64)), seq: r.varuint(), hash: r.fixed(32) })
    }
    return { channel, doc, vector }
  })
}
