// The always-on peer hears about org log changes the moment the signaling worker does: it holds
// one admitted signaling connection (its relay credential) and reloads the log on every `org-log`
// push, so a revocation or a removal from a private channel takes effect here at once rather than
// at the next periodic reload (which stays as the fallback).

import { answerWith } from '../membership/admission-answer.ts'
import { SignalingClient } from '../transport/signaling-client.ts'

export interface OrgLogPushOptions {
  /** The worker's base URL (http or https), as in CONCH_ORG_LOG_URL. */
  baseUrl: string
  orgId: Uint8Array
  credential: Uint8Array
  signingSecretKey: Uint8Array
  /** Reloads the org log; runs once at a time, and once more if a push came meanwhile. */
  reload(): Promise<void>
}

export function followOrgLogPushes(opts: OrgLogPushOptions): { close(): void } {
  let running: Promise<void> | undefined
  let again = false
  const reload = () => {
    if (running) {
      again = true
      return
    }
    running = opts.reload().finally(() => {
      running = undefined
      if (again) {
        again = false
        reload()
      }
    })
  }
  const url = new URL(opts.baseUrl)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  const client = new SignalingClient({
    url: url.href,
    answerChallenge: (challenge) => answerWith(opts, challenge),
    // The welcome too: whatever changed while the connection was down is fetched on reconnect.
    onMessage: (m) => {
      if (m.type === 'welcome' || m.type === 'org-log') reload()
    },
  })
  return { close: () => client.close() }
}
