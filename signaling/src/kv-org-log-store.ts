// OrgLogStore in Deno KV (SQLite on local disk under CONCH_DATA): one key per entry hash.
/// <reference lib="deno.unstable" />

import { toHex } from '../../crypto/codec/bytes.ts'
import { sha256 } from '../../crypto/primitives/kdf.ts'
import type { OrgLogStore } from './membership-org-log.ts'

const PREFIX = ['org-log', 'entry']
/** Deno KV allows at most 1000 mutations per atomic operation. */
const BATCH = 500

export class KvOrgLogStore implements OrgLogStore {
  private constructor(private readonly kv: Deno.Kv) {}

  /** Opens (creating) `<dataDir>/signaling.kv`. */
  static async open(dataDir: string): Promise<KvOrgLogStore> {
    await Deno.mkdir(dataDir, { recursive: true })
    return new KvOrgLogStore(await Deno.openKv(`${dataDir}/signaling.kv`))
  }

  async load(): Promise<Uint8Array[]> {
    const out: Uint8Array[] = []
    for await (const item of this.kv.list<Uint8Array>({ prefix: PREFIX })) {
      if (item.value instanceof Uint8Array) out.push(item.value)
    }
    return out
  }

  async append(entries: Uint8Array[]): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH) {
      const op = this.kv.atomic()
      for (const bytes of entries.slice(i, i + BATCH)) {
        op.set([...PREFIX, toHex(sha256(bytes))], bytes)
      }
      const result = await op.commit()
      if (!result.ok) throw new Error('org log write failed')
    }
  }

  close(): void {
    this.kv.close()
  }
}
