// The channels this device has joined, as kept (sealed) on the device: link channels carry their
// secret; DMs name the other device. Parsing distrusts what storage returns.

export type SavedChannel =
  | { kind: 'link'; name: string; secret: string }
  | { kind: 'dm'; name: string; peer: string }
  /** An org channel (from the org log; never stored in the joined list). */
  | { kind: 'org'; name: string; channel: string }

const NAME_MAX = 80

export function asSavedChannels(value: unknown): SavedChannel[] {
  if (!Array.isArray(value)) return []
  const out: SavedChannel[] = []
  for (const v of value) {
    if (typeof v !== 'object' || v === null) continue
    const c = v as Record<string, unknown>
    if (typeof c.name !== 'string' || !c.name || c.name.length > NAME_MAX) continue
    if (c.kind === 'link' && typeof c.secret === 'string' && /^[\w-]{43}$/.test(c.secret)) {
      out.push({ kind: 'link', name: c.name, secret: c.secret })
    } else if (c.kind === 'dm' && typeof c.peer === 'string' && /^[0-9a-f]{32}$/.test(c.peer)) {
      out.push({ kind: 'dm', name: c.name, peer: c.peer })
    }
  }
  return out
}

export function sameChannel(a: SavedChannel, b: SavedChannel): boolean {
  if (a.kind === 'link' && b.kind === 'link') return a.name === b.name && a.secret === b.secret
  if (a.kind === 'dm' && b.kind === 'dm') return a.peer === b.peer
  return a.kind === 'org' && b.kind === 'org' && a.channel === b.channel
}
