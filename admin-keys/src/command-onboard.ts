// Onboarding commands: `invite`, `request` (device side), `approve`, `issue`, `renew`, `appoint`.

import { base64url, fromBase64url, fromHex, toHex, utf8 } from '../../crypto/codec/bytes.ts'
import { fail, isConchError } from '../../crypto/errors/conch-error.ts'
import {
  appendOrgEntry,
  approveCertificateRequest,
  createAdminCertificate,
  createCertificateRequest,
  createInvite,
  DAY_MS,
  decodeCertificateRequest,
  formatInviteLink,
  formatOrgAnchor,
  type IssuedDevice,
  issueDevice,
  parseInviteLink,
  parseRoles,
  reduceOrgLog,
  renewDevice,
  type Role,
  verifyCertificateRequest,
} from '../../crypto/membership/index.ts'
import { generateSigningKeyPair } from '../../crypto/primitives/ed25519.ts'
import { generateDhKeyPair } from '../../crypto/primitives/x25519.ts'
import { type Args, parseDuration } from './args.ts'
import { CliError } from './cli-io.ts'
import type { OrgStore } from './org-store.ts'

export async function inviteCommand(store: OrgStore, args: Args): Promise<void> {
  const urls = args.all('signaling')
  if (urls.length === 0) {
    throw new CliError('missing --signaling URL (where devices will connect)', 2)
  }
  const maxUses = args.int('max-uses', 1, 1, 10_000)
  const ttl = parseDuration(args.get('expires') ?? '7d')
  args.assertAllUsed()
  const { anchor } = await store.load()
  const io = store.io
  let invite
  try {
    invite = createInvite(anchor, urls.map((u) => u.replace(/\/+$/, '')), {
      maxUses,
      expiresAt: io.now() + ttl,
    }, io.random)
    parseInviteLink(formatInviteLink(urls[0], invite)) // the decoder validates every URL
  } catch (e) {
    if (isConchError(e) || e instanceof RangeError) {
      throw new CliError(`bad --signaling URL: ${urls.join(' ')}`, 2)
    }
    throw e
  }
  const invites = await store.invites()
  invites.set(toHex(invite.inviteId), { ...invite, uses: 0 })
  await store.saveInvites(invites)
  io.err(
    `invite ${toHex(invite.inviteId)}: ${maxUses} use(s), expires ${
      new Date(invite.expiresAt).toISOString()
    }`,
  )
  io.out(formatInviteLink(urls[0].replace(/\/+$/, ''), invite))
}

/** Device side (no data directory): make keys and a request that proves the invite. */
export async function requestCommand(store: OrgStore, args: Args): Promise<void> {
  const io = store.io
  const invite = parseInviteLink(args.require('invite', 'the invite link'))
  const userId = args.get('user') ?? ''
  const displayName = args.get('name') ?? userId
  const requestPath = args.require('out', 'where to write the certificate request')
  const keysPath = args.require('keys-out', 'where to write the device secret keys')
  args.assertAllUsed()
  const signing = generateSigningKeyPair(io.random)
  const dh = generateDhKeyPair(io.random)
  const deviceId = io.random(16)
  const request = createCertificateRequest(
    {
      orgId: invite.anchor.orgId,
      inviteId: invite.inviteId,
      userId,
      displayName,
      deviceId,
      identityDhPublicKey: dh.publicKey,
      createdAt: io.now(),
    },
    invite.secret,
    signing.secretKey,
  )
  await writeDeviceKeys(store, keysPath, formatOrgAnchor(invite.anchor), deviceId, signing, dh)
  await io.writeFileAtomic(requestPath, request.bytes)
  io.out(toHex(deviceId))
}

async function writeDeviceKeys(
  store: OrgStore,
  path: string,
  anchor: string,
  deviceId: Uint8Array,
  signing: { secretKey: Uint8Array; publicKey: Uint8Array },
  dh: { secretKey: Uint8Array; publicKey: Uint8Array },
): Promise<void> {
  const json = {
    orgAnchor: anchor,
    deviceId: toHex(deviceId),
    signingSecretKey: toHex(signing.secretKey),
    signingPublicKey: toHex(signing.publicKey),
    identityDhSecretKey: toHex(dh.secretKey),
    identityDhPublicKey: toHex(dh.publicKey),
  }
  await store.io.writeFileAtomic(path, utf8(JSON.stringify(json, null, 2) + '\n'), { secret: true })
}

async function readRequest(store: OrgStore, path: string) {
  const bytes = await store.io.readFile(path)
  if (bytes === null) throw new CliError(`${path} not found`)
  try {
    return decodeCertificateRequest(bytes)
  } catch (e) {
    if (isConchError(e)) throw new CliError(`${path} is not a certificate request (${e.message})`)
    throw e
  }
}

/** `--request FILE` (bytes) or `--code CODE` (the base64url text the app shows), exactly one. */
async function requestFromArgs(store: OrgStore, args: Args) {
  const path = args.get('request')
  const code = args.get('code')
  if ((path === undefined) === (code === undefined)) {
    throw new CliError('approve needs exactly one of --request FILE or --code CODE', 2)
  }
  if (path !== undefined) return await readRequest(store, path)
  try {
    return decodeCertificateRequest(fromBase64url(code!.trim()))
  } catch (e) {
    if (isConchError(e) || e instanceof TypeError) {
      throw new CliError('the request code is damaged: copy it from the app again, in full')
    }
    throw e
  }
}

function issueOptions(args: Args) {
  const roles = args.get('roles')
  return {
    userId: args.get('user'),
    displayName: args.get('name'),
    roles: roles === undefined ? new Set<Role>(['member']) : parseRoles(roles),
    validityMs: args.int('days', 30, 1, 400) * DAY_MS,
  }
}

async function finishIssue(
  store: OrgStore,
  root: Awaited<ReturnType<OrgStore['unlock']>>,
  entries: Parameters<OrgStore['save']>[1],
  issued: IssuedDevice,
  out: string | undefined,
) {
  await store.save(root, [...entries, issued.entry])
  if (out !== undefined) await store.io.writeFileAtomic(out, issued.credentialBytes)
  const c = issued.certificate
  store.io.err(
    `issued ${c.userId} (${c.displayName}) until ${
      new Date(c.notAfter).toISOString()
    }; run "publish" to tell the signaling worker`,
  )
  // Without --out, stdout carries the approval code to paste into the app.
  store.io.out(out !== undefined ? toHex(c.deviceId) : base64url(issued.credentialBytes))
}

export async function approveCommand(store: OrgStore, args: Args): Promise<void> {
  const request = await requestFromArgs(store, args)
  const out = args.get('out')
  const options = issueOptions(args)
  args.assertAllUsed()
  const { entries, state } = await store.load()
  const invites = await store.invites()
  const invite = invites.get(toHex(request.inviteId))
  if (!invite) throw new CliError('the request names an invite this directory never made')
  const root = await store.unlock()
  const issuer = { secretKey: root.rootSecretKey, chain: [] }
  const approved = approveCertificateRequest(state, issuer, request, invite, {
    ...options,
    now: store.io.now(),
    random: store.io.random,
  })
  invites.set(toHex(request.inviteId), approved.invite)
  await store.saveInvites(invites)
  await finishIssue(store, root, entries, approved, out)
}

/**
 * `issue --request FILE` (the admin vouches without an invite: the device signature is still
 * checked), or `issue --user ID --keys-out FILE` (make the device keys here, for scripts and
 * the always-on org peer).
 */
export async function issueCommand(store: OrgStore, args: Args): Promise<void> {
  const requestPath = args.get('request')
  const keysOut = args.get('keys-out')
  const out = args.require('out', 'where to write the credential')
  const options = issueOptions(args)
  args.assertAllUsed()
  if ((requestPath === undefined) === (keysOut === undefined)) {
    throw new CliError('issue needs exactly one of --request FILE or --keys-out FILE', 2)
  }
  const { anchor, entries, state } = await store.load()
  const io = store.io
  let device
  let writeKeys = async () => {}
  if (requestPath !== undefined) {
    const request = await readRequest(store, requestPath)
    if (toHex(request.orgId) !== toHex(anchor.orgId)) {
      fail('membership/foreign-org', 'request is for another org')
    }
    verifyCertificateRequest(request, null)
    device = {
      ...request,
      userId: options.userId ?? request.userId,
      displayName: options.displayName ?? request.displayName,
    }
  } else {
    const signing = generateSigningKeyPair(io.random)
    const dh = generateDhKeyPair(io.random)
    const deviceId = io.random(16)
    const userId = options.userId ?? ''
    // Written only once issuing succeeded: a refused command leaves no stray key file.
    writeKeys = () =>
      writeDeviceKeys(store, keysOut!, formatOrgAnchor(anchor), deviceId, signing, dh)
    device = {
      userId,
      displayName: options.displayName ?? userId,
      deviceId,
      signingPublicKey: signing.publicKey,
      identityDhPublicKey: dh.publicKey,
    }
  }
  if (!device.userId) throw new CliError('missing --user (the user id for this device)', 2)
  const root = await store.unlock()
  const issued = issueDevice(state, { secretKey: root.rootSecretKey, chain: [] }, {
    userId: device.userId,
    displayName: device.displayName,
    deviceId: device.deviceId,
    signingPublicKey: device.signingPublicKey,
    identityDhPublicKey: device.identityDhPublicKey,
    roles: options.roles,
  }, { now: io.now(), random: io.random, validityMs: options.validityMs })
  await writeKeys()
  await finishIssue(store, root, entries, issued, out)
}

/**
 * `renew --device HEX [--out CRED]`, or `renew --expiring-within 7d` (for a daily cron): every
 * active device whose certificate ends within the window gets a fresh one. Devices pick renewals
 * up from the log itself (crypto/membership current-credential.ts); no file needs handing out.
 */
export async function renewCommand(store: OrgStore, args: Args): Promise<void> {
  const single = args.get('device')?.toLowerCase()
  const within = args.get('expiring-within')
  const out = args.get('out')
  const days = args.int('days', 30, 1, 400)
  args.assertAllUsed()
  if ((single === undefined) === (within === undefined)) {
    throw new CliError('renew needs exactly one of --device HEX or --expiring-within DURATION', 2)
  }
  const { anchor, entries, state } = await store.load()
  const now = store.io.now()
  const targets = single !== undefined ? [single] : [...state.devices.values()]
    .filter((d) => !state.revokedDevices.has(toHex(d.deviceId)))
    .filter((d) => d.notAfter <= now + parseDuration(within!))
    .map((d) => toHex(d.deviceId))
  if (targets.length === 0) {
    store.io.out('no device needs renewing')
    return
  }
  const root = await store.unlock()
  const added = []
  let last
  for (const id of targets) {
    const current = added.length ? reduceOrgLog(anchor, [...entries, ...added]) : state
    last = renewDevice(current, { secretKey: root.rootSecretKey, chain: [] }, id, {
      now,
      validityMs: days * DAY_MS,
    })
    added.push(last.entry)
  }
  await store.save(root, [...entries, ...added])
  if (out && last) await store.io.writeFileAtomic(out, last.credentialBytes)
  const until = new Date(now + days * DAY_MS).toISOString()
  for (const id of targets) store.io.out(`${id} renewed until ${until}`)
}

/** `appoint --key HEX --name NAME [--out FILE]`: the root makes an admin (a live admin device). */
export async function appointCommand(store: OrgStore, args: Args): Promise<void> {
  const keyHex = args.require('key', "the admin's Ed25519 public key in hex")
  const name = args.require('name', 'a name for the admin')
  const days = args.int('days', 365, 1, 3650)
  const out = args.get('out')
  args.assertAllUsed()
  let adminKey: Uint8Array
  try {
    adminKey = fromHex(keyHex)
  } catch {
    throw new CliError('--key must be 64 hex characters', 2)
  }
  if (adminKey.length !== 32) throw new CliError('--key must be 64 hex characters', 2)
  const { entries, state } = await store.load()
  const root = await store.unlock()
  const now = store.io.now()
  const certificate = createAdminCertificate(root.rootSecretKey, {
    orgId: root.anchor.orgId,
    adminKey,
    name,
    roles: new Set<Role>(['admin']),
    notBefore: now,
    notAfter: now + days * DAY_MS,
  })
  const entry = appendOrgEntry(
    state,
    root.rootSecretKey,
    { type: 'appoint-admin', certificate },
    now,
  )
  await store.save(root, [...entries, entry])
  if (out) await store.io.writeFileAtomic(out, certificate.bytes)
  store.io.out(toHex(certificate.hash))
}
