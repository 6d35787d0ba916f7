// The always-on peer's configuration, read only from environment variables (listed in
// docs/protocol/transport.md §6 and printed by `--help`).

import { parseOrgAnchor } from '../../crypto/membership/org-anchor.ts'
import type { OrgAnchor } from '../../crypto/membership/org-anchor.ts'
import { DEFAULT_MAILBOX_LIMITS, type MailboxLimits } from './blind-mailbox.ts'

export interface HeadlessConfig {
  anchor: OrgAnchor
  /** JSON file {credential, signingSecretKey} (base64url) of this peer's device (role relay). */
  identityFile: string
  /** Where the org log comes from: a signaling worker's base URL, or a bundle file. */
  orgLogUrl: string | undefined
  orgLogFile: string | undefined
  orgLogRefreshMs: number
  /** libp2p listen addresses (WebSockets). */
  listen: string[]
  /** Addresses devices should dial, when they differ from `listen` (TLS proxy: /dns4/…/wss). */
  announce: string[]
  /** HTTP port for /healthz and /metrics (0 = any free port). */
  httpPort: number
  httpHost: string
  dataDir: string
  mailbox: MailboxLimits
}

export const HEADLESS_USAGE = `Conch always-on org peer (blind mailbox + libp2p relay)

  node --import tsx --import ./scripts/lib/node-polyfills.mjs client/headless/main.ts

Environment:
  CONCH_ORG_ANCHOR          org anchor "<org id>.<root key>" (required)
  CONCH_HEADLESS_IDENTITY   JSON file {credential, signingSecretKey} of its relay device (required),
                            or the keys file of \`admin-keys issue --keys-out\` plus
  CONCH_HEADLESS_CREDENTIAL the credential file \`admin-keys issue --out\` wrote
  CONCH_ORG_LOG_URL         signaling worker base URL to follow the org log from (its pushes
                            apply at once, over one admitted signaling connection), or
  CONCH_ORG_LOG_FILE        an org log bundle file
  CONCH_ORG_LOG_REFRESH_MS  org log reload period, the fallback to pushes (60000)
  CONCH_HEADLESS_LISTEN     libp2p listen multiaddrs, comma-separated (/ip4/0.0.0.0/tcp/9090/ws)
  CONCH_HEADLESS_ANNOUNCE   addresses devices dial if not the listen ones, e.g. behind a TLS
                            proxy: /dns4/peer.example.org/tcp/443/wss
  CONCH_HEADLESS_HTTP_PORT  /healthz, /metrics, /metrics.json (9091; 0 = any free port)
  CONCH_HEADLESS_HTTP_HOST  (127.0.0.1)
  CONCH_HEADLESS_DATA       keeps the libp2p key so the peer id survives restarts (.conch/headless)
  CONCH_MAILBOX_MAX_BYTES, CONCH_MAILBOX_MAX_AGE_MS, CONCH_MAILBOX_MAX_DIRECT   mailbox bounds
`

type Env = (name: string) => string | undefined

function positiveInt(env: Env, name: string, fallback: number, allowZero = false): number {
  const text = env(name)
  if (text === undefined || text === '') return fallback
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < 0 || (n === 0 && !allowZero)) {
    throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer`)
  }
  return n
}

function required(env: Env, name: string, what: string): string {
  const v = env(name)
  if (!v) throw new Error(`${name} is not set: ${what}`)
  return v
}

/** Reads the configuration; throws naming the variable when one is missing or malformed. */
export function readHeadlessConfig(env: Env): HeadlessConfig {
  const anchor = parseOrgAnchor(
    required(env, 'CONCH_ORG_ANCHOR', 'the org anchor "<org id>.<root key>" from admin-keys'),
  )
  const orgLogUrl = env('CONCH_ORG_LOG_URL') || undefined
  const orgLogFile = env('CONCH_ORG_LOG_FILE') || undefined
  if (!orgLogUrl && !orgLogFile) {
    throw new Error(
      'set CONCH_ORG_LOG_URL (the signaling worker, e.g. http://localhost:8787) or CONCH_ORG_LOG_FILE',
    )
  }
  return {
    anchor,
    identityFile: required(
      env,
      'CONCH_HEADLESS_IDENTITY',
      'path of the relay device identity file',
    ),
    orgLogUrl,
    orgLogFile,
    orgLogRefreshMs: positiveInt(env, 'CONCH_ORG_LOG_REFRESH_MS', 60_000),
    listen: (env('CONCH_HEADLESS_LISTEN') || '/ip4/0.0.0.0/tcp/9090/ws').split(',').map((s) =>
      s.trim()
    ),
    announce: (env('CONCH_HEADLESS_ANNOUNCE') || '').split(',').map((s) => s.trim()).filter(
      Boolean,
    ),
    httpPort: positiveInt(env, 'CONCH_HEADLESS_HTTP_PORT', 9091, true),
    httpHost: env('CONCH_HEADLESS_HTTP_HOST') || '127.0.0.1',
    dataDir: env('CONCH_HEADLESS_DATA') || '.conch/headless',
    mailbox: {
      maxBytes: positiveInt(env, 'CONCH_MAILBOX_MAX_BYTES', DEFAULT_MAILBOX_LIMITS.maxBytes),
      maxAgeMs: positiveInt(env, 'CONCH_MAILBOX_MAX_AGE_MS', DEFAULT_MAILBOX_LIMITS.maxAgeMs),
      maxDirectPerDevice: positiveInt(
        env,
        'CONCH_MAILBOX_MAX_DIRECT',
        DEFAULT_MAILBOX_LIMITS.maxDirectPerDevice,
      ),
    },
  }
}
