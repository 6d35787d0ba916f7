// The offline root and live admins share one log through the signaling worker: the root pulls
// before revoking an admin, so what that admin did before the revocation stays valid, and what
// it signs afterwards is refused. The worker here is a minimal stand-in built on the same
// library calls the real one uses (OrgLogReplica.accept, entriesNotBelow).

import { fromHex } from '../../crypto/codec/bytes.ts'
import {
  decodeAdminCertificate,
  decodeLogBundle,
  encodeLogBundle,
  entriesNotBelow,
  issueDevice,
  OrgLogReplica,
  parseOrgAnchor,
  verifyCredential,
} from '../../crypto/membership/index.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import { generateSigningKeyPair } from '../../crypto/primitives/ed25519.ts'
import { secureRandom } from '../../crypto/primitives/random.ts'
import { generateDhKeyPair } from '../../crypto/primitives/x25519.ts'
import { assertCleanFailure, CliHarness } from './cli-harness.ts'

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}

function standInWorker(replica: OrgLogReplica) {
  return Deno.serve({ port: 0, hostname: '127.0.0.1', onListen() {} }, async (req) => {
    if (new URL(req.url).pathname !== '/org/log') return new Response('no', { status: 404 })
    if (req.method === 'GET') {
      const heads = (new URL(req.url).searchParams.get('heads') ?? '').split(',').filter(Boolean)
      return new Response(
        encodeLogBundle(entriesNotBelow(replica.state.log.slice(), heads.map(fromHex))).slice(),
      )
    }
    try {
      replica.accept(decodeLogBundle(new Uint8Array(await req.arrayBuffer())))
      return new Response('ok')
    } catch (e) {
      return new Response(String(e), { status: isConchError(e) ? 400 : 500 })
    }
  })
}

function newDevice(userId: string) {
  return {
    userId,
    displayName: userId,
    deviceId: secureRandom(16),
    signingPublicKey: generateSigningKeyPair().publicKey,
    identityDhPublicKey: generateDhKeyPair().publicKey,
    roles: new Set(['member'] as const),
  }
}

Deno.test("pull before revoke: a live admin's earlier approvals survive its revocation", async () => {
  const cli = await CliHarness.create()
  const anchor = parseOrgAnchor(await cli.ok(['init', '--scrypt-log-n', '10']))
  const replica = new OrgLogReplica(anchor)
  const server = standInWorker(replica)
  const url = `http://127.0.0.1:${server.addr.port}`
  const post = async (bytes: Uint8Array) =>
    (await fetch(`${url}/org/log`, { method: 'POST', body: bytes.slice() })).status
  try {
    await cli.ok([
      'issue',
      '--keys-out',
      cli.file('a.json'),
      '--user',
      'ops',
      '--out',
      cli.file('a.cred'),
    ])
    const keys = JSON.parse(await Deno.readTextFile(cli.file('a.json')))
    await cli.ok([
      'appoint',
      '--key',
      keys.signingPublicKey,
      '--name',
      'ops',
      '--out',
      cli.file('a.cert'),
    ])
    await cli.ok(['publish', '--signaling', url])
    const admin = {
      secretKey: fromHex(keys.signingSecretKey),
      chain: [decodeAdminCertificate(await Deno.readFile(cli.file('a.cert')))],
    }
    // The admin device approves a nurse live, through the worker.
    const nurse = issueDevice(replica.state, admin, newDevice('nurse'), {
      now: Date.now(),
      random: secureRandom,
    })
    assert((await post(encodeLogBundle([nurse.entry]))) === 200, 'live issuance accepted')
    const adminView = replica.state

    // The root pulls, then revokes the admin (and, paired, the admin's device), and publishes.
    assert((await cli.ok(['pull', '--signaling', url])).startsWith('pulled 1 entries'), 'pull')
    await cli.ok(['revoke', '--admin', keys.signingPublicKey, '--reason', 'left'])
    await cli.ok(['publish', '--signaling', url])
    const state = replica.state
    assert(state.revokedAdmins.has(keys.signingPublicKey), 'admin revoked')
    const id = verifyCredential(anchor, state, nurse.credentialBytes, Date.now())
    assert(id.userId === 'nurse', 'the earlier approval stands')

    // What the revoked admin signs next (on its stale view) is refused by the worker.
    const late = issueDevice(adminView, admin, newDevice('late'), {
      now: Date.now(),
      random: secureRandom,
    })
    assert((await post(encodeLogBundle([late.entry]))) === 400, 'void issuance refused')
    assert((await cli.ok(['pull', '--signaling', url])).startsWith('up to date'), 'nothing new')
    assertCleanFailure(await cli.run(['pull', '--signaling', `${url}/nope`]), /HTTP 404/)
  } finally {
    await server.shutdown()
    await cli.cleanup()
  }
})
