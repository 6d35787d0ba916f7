// Shares the org log between instances over Redis: accepted bundles are appended to a Redis list
// (read at startup) and announced on a channel (applied at once by the other instances).

import { base64url, fromBase64url } from '../../../crypto/codec/bytes.ts'
import type { MembershipOrgLog } from '../membership-org-log.ts'
import type { RedisConnection } from './redis-client.ts'

export const ORG_LOG_LIST = 'conch:org-log'
export const ORG_LOG_CHANNEL = 'conch:org-log:changed'

export class RedisOrgLogRelay {
  constructor(
    private readonly commands: RedisConnection,
    private readonly subscriber: RedisConnection,
    private readonly instanceId: string,
    private readonly log: MembershipOrgLog,
  ) {
    log.relay = (bundle) => {
      const text = base64url(bundle)
      this.commands.send('RPUSH', ORG_LOG_LIST, text)
      this.commands.send('PUBLISH', ORG_LOG_CHANNEL, `${this.instanceId}\n${text}`)
    }
    subscriber.subscribe(ORG_LOG_CHANNEL)
  }

  /** Applies every bundle any instance ever accepted (startup catch-up). */
  async catchUp(): Promise<void> {
    const items = await this.commands.command('LRANGE', ORG_LOG_LIST, '0', '-1')
    if (!Array.isArray(items)) return
    for (const item of items) if (typeof item === 'string') await this.apply(item)
  }

  receive(channel: string, payload: string): boolean {
    if (channel !== ORG_LOG_CHANNEL) return false
    const newline = payload.indexOf('\n')
    if (newline < 0 || payload.slice(0, newline) === this.instanceId) return true
    this.apply(payload.slice(newline + 1))
    return true
  }

  private async apply(text: string): Promise<void> {
    try {
      await this.log.acceptRemote(fromBase64url(text))
    } catch {
      // malformed relay data is ignored: entries are verified, never trusted for being relayed
    }
  }
}
