// What the connection line says, from the signaling status, the peer count and the close reason.

import type { Translate } from '../i18n/i18n.ts'
import type { StringKey } from '../i18n/strings-en.ts'

const REFUSALS: Record<string, StringKey> = {
  revoked: 'refusedRevoked',
  'foreign-org': 'refusedForeignOrg',
  untrusted: 'refusedUntrusted',
  'bad-credential': 'refusedBadCredential',
  expired: 'refusedExpired',
}

export function connectionLabel(
  t: Translate,
  status: string,
  peers: number,
  detail: string | undefined,
): string {
  const refusal = detail && Object.hasOwn(REFUSALS, detail) ? t(REFUSALS[detail]) : undefined
  switch (status) {
    case 'connecting':
      return t('connConnecting')
    case 'authenticating':
      return t('connAuthenticating')
    case 'refused':
      return refusal ?? t('connRefused', { reason: detail ?? '?' })
    case 'closed':
      return refusal ?? t('connOffline')
  }
  if (peers === 0) return t('connOnlineAlone')
  return peers === 1 ? t('connOnlineOne') : t('connOnlineMany', { count: peers })
}
