// The I/O edge of prekey publication: watches the org state and, whenever the directory does not
// list this device's current signed prekey (after enrollment, after a rotation), posts the
// entry to the worker's org log (POST /org/log, docs/protocol/membership.md §7).

import { equalBytes } from '../../crypto/codec/bytes.ts'
import { encodeLogBundle } from '../../crypto/membership/log-bundle.ts'
import type { OrgState } from '../../crypto/membership/org-state.ts'
import {
  prekeyPublication,
  prekeyPublicationBlocker,
  type PrekeyPublisherKeys,
} from './prekey-publication.ts'

/** Between two attempts for the same prekey while the log does not list it. */
export const PREKEY_RETRY_MS = 60_000

export type PrekeyPublishOutcome =
  | 'posted'
  | 'failed'
  | 'waiting'
  | 'stopped'
  | NonNullable<ReturnType<typeof prekeyPublicationBlocker>>

export interface PrekeyPublisherOptions {
  org: { readonly state: OrgState; subscribe(listener: (state: OrgState) => void): () => void }
  /** This device's keys and current signed prekey (loaded lazily by the app). */
  keys(): Promise<PrekeyPublisherKeys>
  /** Sends an org-log bundle to the worker; throws when it is not accepted. */
  post(bundle: Uint8Array): Promise<void>
  /** The worker took the bundle: apply it locally (the worker also pushes it back later). */
  accepted?(bundle: Uint8Array): void
  now(): number
  /** Runs `task` after `ms` (default setTimeout): a retry after a failed post. */
  schedule?(task: () => void, ms: number): void
  retryMs?: number
}

export interface PrekeyPublisher {
  /**
   * Posts if the directory lacks our prekey; what happened. Runs on every state change; calls
   * made while one runs share a single follow-up run.
   */
  check(): Promise<PrekeyPublishOutcome>
  stop(): void
}

export function startPrekeyPublisher(o: PrekeyPublisherOptions): PrekeyPublisher {
  const retryMs = o.retryMs ?? PREKEY_RETRY_MS
  const schedule = o.schedule ?? ((task, ms) => void setTimeout(task, ms))
  let running: Promise<PrekeyPublishOutcome> | undefined
  let queued: Promise<PrekeyPublishOutcome> | undefined
  let stopped = false
  /** The prekey last attempted and when: one attempt per retry period, whatever the traffic. */
  let last: { prekey: Uint8Array; at: number } | undefined

  const run = async (): Promise<PrekeyPublishOutcome> => {
    if (stopped) return 'stopped'
    const keys = await o.keys()
    const state = o.org.state
    const blocker = prekeyPublicationBlocker(state, keys)
    if (blocker) return blocker
    const prekey = keys.signedPreKey.keyPair.publicKey
    if (last && equalBytes(last.prekey, prekey) && o.now() - last.at < retryMs) return 'waiting'
    const entry = prekeyPublication(state, keys, o.now())!
    last = { prekey, at: o.now() }
    const bundle = encodeLogBundle([entry])
    try {
      await o.post(bundle)
    } catch {
      // Offline, or the worker refused (it is behind us, or we are revoked): try again later.
      schedule(() => void check(), retryMs)
      return 'failed'
    }
    o.accepted?.(bundle)
    return 'posted'
  }
  const check = (): Promise<PrekeyPublishOutcome> => {
    if (!running) return running = run().finally(() => running = undefined)
    return queued ??= running.then(() => {
      queued = undefined
      return check()
    })
  }
  const unsubscribe = o.org.subscribe(() => void check())
  void check()
  return {
    check,
    stop() {
      stopped = true
      unsubscribe()
    },
  }
}

/** `post` for a worker at `baseUrl`: POST {baseUrl}/org/log with the bundle. */
export function postOrgLog(
  baseUrl: string,
  fetchFn: typeof fetch = fetch,
): (bundle: Uint8Array) => Promise<void> {
  const url = new URL('/org/log', baseUrl).toString()
  return async (bundle) => {
    const res = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bundle as Uint8Array<ArrayBuffer>,
    })
    if (!res.ok) throw new Error(`org log refused the entry (${res.status})`)
  }
}
