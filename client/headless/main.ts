// The always-on org peer, one command (Node 20+, from the repo root):
//   node --import ./scripts/lib/node-polyfills.mjs node_modules/.bin/tsx client/headless/main.ts
// Configuration: environment variables (client/headless/headless-config.ts). Prints one JSON line
// {"ready":true,"peerId",...,"addresses":[...],"http":port} once it listens; SIGINT/SIGTERM stop it.

import { createServer } from 'node:http'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { fromBase64url, fromHex } from '../../crypto/codec/bytes.ts'
import { secureRandom } from '../../crypto/primitives/random.ts'
import { defaultProvider } from '../../crypto/provider/default-provider.ts'
import { HEADLESS_USAGE, readHeadlessConfig } from './headless-config.ts'
import { renderPrometheus } from './headless-metrics.ts'
import { startHeadlessPeer } from './headless-peer.ts'
import { fetchOrgLog, orgStateSource } from './org-state-source.ts'
import { followOrgLogPushes } from './org-log-pushes.ts'

if (process.argv.includes('--help')) {
  console.log(HEADLESS_USAGE)
  process.exit(0)
}

function fatal(message: string): never {
  console.error(`conch headless: ${message}\n(run with --help for the configuration)`)
  process.exit(2)
}

let config: ReturnType<typeof readHeadlessConfig>
let credential: Uint8Array
let signingSecretKey: Uint8Array
try {
  config = readHeadlessConfig((name) => process.env[name])
  // Either {credential, signingSecretKey} in base64url, or the keys file `admin-keys issue
  // --keys-out` writes (hex signingSecretKey) with the credential file in CONCH_HEADLESS_CREDENTIAL.
  const identity = JSON.parse(readFileSync(config.identityFile, 'utf8'))
  const credentialFile = process.env.CONCH_HEADLESS_CREDENTIAL
  credential = identity.credential !== undefined
    ? fromBase64url(String(identity.credential))
    : credentialFile
    ? new Uint8Array(readFileSync(credentialFile))
    : fatal(
      'the identity file has no credential: set CONCH_HEADLESS_CREDENTIAL to the credential file',
    )
  const secret = String(identity.signingSecretKey)
  signingSecretKey = /^[0-9a-f]{64}$/.test(secret) ? fromHex(secret) : fromBase64url(secret)
} catch (e) {
  fatal((e as Error).message)
}

/** The libp2p identity persists across restarts, so devices can keep dialing one address. */
async function libp2pKey(dataDir: string) {
  const { generateKeyPairFromSeed } = await import('@libp2p/crypto/keys')
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, 'libp2p-seed')
  let seed: Uint8Array
  try {
    seed = new Uint8Array(readFileSync(file))
    if (seed.length !== 32) throw new Error(`${file} is damaged: delete it to get a new peer id`)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    seed = new Uint8Array(randomBytes(32))
    writeFileSync(file, seed, { mode: 0o600 })
  }
  return generateKeyPairFromSeed('Ed25519', seed)
}

const source = orgStateSource(
  config.anchor,
  config.orgLogUrl
    ? fetchOrgLog(config.orgLogUrl)
    : () => Promise.resolve(new Uint8Array(readFileSync(config.orgLogFile!))),
)
await source.refresh()
const peer = await startHeadlessPeer({
  anchor: config.anchor,
  orgState: source.current,
  credential,
  signingSecretKey,
  listen: config.listen,
  announce: config.announce,
  privateKey: await libp2pKey(config.dataDir),
  mailbox: config.mailbox,
  now: Date.now,
  random: secureRandom,
  provider: await defaultProvider(),
  journalPath: join(config.dataDir, 'mailbox.journal'),
})
const reload = async () => {
  if (await source.refresh()) peer.orgStateChanged()
}
const refresh = setInterval(reload, config.orgLogRefreshMs)
// Following a worker: its pushes make revocations take effect here at once.
const pushes = config.orgLogUrl
  ? followOrgLogPushes({
    baseUrl: config.orgLogUrl,
    orgId: config.anchor.orgId,
    credential,
    signingSecretKey,
    reload,
  })
  : undefined
const expire = setInterval(() => peer.maintain(), 60_000)

const http = createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok\n')
  if (req.url === '/metrics') {
    res.setHeader('content-type', 'text/plain; version=0.0.4; charset=utf-8')
    return res.end(renderPrometheus(peer.metrics()))
  }
  if (req.url === '/metrics.json') {
    res.setHeader('content-type', 'application/json')
    return res.end(JSON.stringify(peer.metrics(), null, 2) + '\n')
  }
  res.statusCode = 404
  res.end('not found\n')
})
http.listen(config.httpPort, config.httpHost, () => {
  const address = http.address()
  console.log(JSON.stringify({
    ready: true,
    peerId: peer.node.peerId.toString(),
    addresses: peer.addresses(),
    http: typeof address === 'object' && address ? address.port : config.httpPort,
  }))
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    clearInterval(refresh)
    pushes?.close()
    clearInterval(expire)
    http.close()
    setTimeout(() => process.exit(0), 2000).unref()
    peer.stop().finally(() => process.exit(0))
  })
}
