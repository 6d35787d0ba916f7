// `init`: create the org root key, the org id and an empty signed log in a new data directory.

import { formatOrgAnchor } from '../../crypto/membership/index.ts'
import { generateSigningKeyPair } from '../../crypto/primitives/ed25519.ts'
import type { Args } from './args.ts'
import { CliError } from './cli-io.ts'
import { DEFAULT_SCRYPT, sealKeystore } from './keystore.ts'
import { FILES, type OrgStore } from './org-store.ts'

export const MIN_PASSPHRASE_LENGTH = 8

export async function initCommand(store: OrgStore, args: Args): Promise<void> {
  const io = store.io
  const logN = args.int('scrypt-log-n', DEFAULT_SCRYPT.logN, 1, 20)
  args.assertAllUsed()
  for (const name of Object.keys(FILES) as (keyof typeof FILES)[]) {
    if (name === 'invites') continue
    if ((await io.readFile(store.path(name))) !== null) {
      throw new CliError(
        `${store.dir} already holds an org (${FILES[name]} exists); refusing to overwrite it`,
      )
    }
  }
  const passphrase = await io.passphrase('new')
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new CliError(`the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`)
  }
  const keys = generateSigningKeyPair(io.random)
  const anchor = { orgId: io.random(16), rootPublicKey: keys.publicKey }
  const root = { rootSecretKey: keys.secretKey, anchor }
  const keystore = sealKeystore(keys.secretKey, anchor.orgId, passphrase, {
    ...DEFAULT_SCRYPT,
    logN,
  }, io.random)
  await io.mkdirp(store.dir)
  await store.writeAnchor(anchor)
  await store.save(root, [])
  // The keystore is written last: a directory without one was never initialised.
  await io.writeFileAtomic(store.path('keystore'), keystore, { secret: true })
  if (logN < 15) io.err(`warning: scrypt N = 2^${logN} is weak; use the default outside tests`)
  io.err(`org created in ${store.dir}; configure devices and the signaling worker with:`)
  io.out(formatOrgAnchor(anchor))
}
