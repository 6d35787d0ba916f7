// UI state slice for this device's membership: not joined, waiting for approval, or enrolled.
// Views call its actions; it talks to the identity store, never to sockets.

import { type Accessor, createSignal } from 'solid-js'
import { base64url, fromBase64url } from '../../crypto/codec/bytes.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import type { Invite } from '../../crypto/membership/invitation.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import {
  completeEnrollment,
  type Enrollment,
  type PendingEnrollment,
  startEnrollment,
} from '../membership/enrollment.ts'
import type { IdentityStore } from '../membership/identity-store.ts'
import type { StringKey } from './i18n/strings-en.ts'

export interface DeviceStore {
  pending: Accessor<PendingEnrollment | undefined>
  enrollment: Accessor<Enrollment | undefined>
  /** What went wrong, as a string key the view translates. */
  error: Accessor<StringKey | undefined>
  /** The request an admin approves, as text to copy. */
  requestCode(): string | undefined
  requestAccess(invite: Invite, displayName: string): Promise<boolean>
  finishJoining(approvalCode: string): Promise<boolean>
}

/** Readable messages for the errors a person can run into while joining. */
export function joinErrorMessage(e: unknown): StringKey {
  if (isConchError(e)) {
    switch (e.code) {
      case 'membership/expired':
        return 'joinExpired'
      case 'membership/foreign-org':
        return 'joinForeignOrg'
      case 'membership/untrusted':
        return 'joinOtherDevice'
      case 'codec/bad-value':
        return e.message.includes('display name') ? 'joinBadName' : 'joinDamagedCode'
      default:
        if (e.code.startsWith('codec/')) return 'joinDamagedCode'
    }
  }
  return 'joinFailed'
}

export async function createDeviceStore(
  store: IdentityStore,
  random: RandomSource,
  now: () => number,
): Promise<DeviceStore> {
  const loaded = await store.load()
  const [pending, setPending] = createSignal(loaded.pending)
  const [enrollment, setEnrollment] = createSignal(loaded.enrollment)
  const [error, setError] = createSignal<StringKey>()
  return {
    pending,
    enrollment,
    error,
    requestCode() {
      const p = pending()
      return p && base64url(p.request)
    },
    async requestAccess(invite, displayName) {
      try {
        const p = startEnrollment(invite, displayName, random, now())
        await store.savePending(p)
        setError(undefined)
        setPending(p)
        return true
      } catch (e) {
        setError(joinErrorMessage(e))
        return false
      }
    },
    async finishJoining(code) {
      const p = pending()
      if (!p) return false
      try {
        const e = completeEnrollment(p, fromBase64url(code.trim()))
        await store.saveEnrollment(e)
        setError(undefined)
        setEnrollment(e)
        setPending(undefined)
        return true
      } catch (e) {
        setError(
          e instanceof TypeError ? 'joinDamagedCode' : joinErrorMessage(e),
        )
        return false
      }
    },
  }
}
