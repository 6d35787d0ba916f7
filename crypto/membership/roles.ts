// Roles a device certificate can carry, and their one-byte bitmask encoding (docs/protocol/membership.md §2).

import { fail } from '../errors/conch-error.ts'

export type Role = 'member' | 'admin' | 'publisher' | 'auditor' | 'relay'

/** Bit i of the role byte is ROLES[i]; bits 5..7 are reserved and must be zero. */
export const ROLES: readonly Role[] = ['member', 'admin', 'publisher', 'auditor', 'relay']

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

export function encodeRoles(roles: Iterable<Role>): number {
  let mask = 0
  for (const role of roles) {
    const bit = ROLES.indexOf(role)
    if (bit < 0) throw new RangeError(`unknown role: ${role}`)
    mask |= 1 << bit
  }
  return mask
}

export function decodeRoles(mask: number): ReadonlySet<Role> {
  if (mask >>> ROLES.length !== 0) fail('codec/bad-value', 'unknown role bit')
  const out = new Set<Role>()
  ROLES.forEach((role, bit) => {
    if (mask & (1 << bit)) out.add(role)
  })
  return out
}

/** Parses `member,publisher` as typed by an admin; unknown names are a `codec/bad-value`. */
export function parseRoles(text: string): ReadonlySet<Role> {
  const out = new Set<Role>()
  for (const name of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!isRole(name)) fail('codec/bad-value', `unknown role "${name}"`)
    out.add(name)
  }
  return out
}

export function sameRoles(a: ReadonlySet<Role>, b: ReadonlySet<Role>): boolean {
  return encodeRoles(a) === encodeRoles(b)
}
