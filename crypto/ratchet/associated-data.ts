// Associated data as a list of length-prefixed fields (spec §3.4 CONCAT must be parseable as a
// unique pair): varuint length || bytes for each field, so ("ab", H) and ("a", "b"||H) differ.

import { Writer } from '../codec/writer.ts'
import { utf8 } from '../codec/bytes.ts'
import { LABEL_PREFIX } from '../primitives/labels.ts'

/** bytes(label) || bytes(field_1) || … || bytes(field_n), with label "conch/v1/<context>". */
export function encodeAssociatedData(context: string, fields: readonly Uint8Array[]): Uint8Array {
  let label = labels.get(context)
  if (!label) labels.set(context, label = utf8(LABEL_PREFIX + context))
  const w = new Writer(64 + fields.reduce((n, f) => n + f.length + 4, 0))
  w.bytes(label)
  for (const f of fields) w.bytes(f)
  return w.finish()
}

// The few AD labels, encoded once (they are only ever read).
const labels = new Map<string, Uint8Array>()
