// Opens what the worker depends on, from the configuration: the org log (Deno KV), admission,
// and Redis scale-out. main.ts and the subprocess tests share this wiring.

import { parseOrgAnchor } from '../../crypto/membership/index.ts'
import { createNodeCryptoProvider } from '../../crypto/provider/node-crypto-provider.ts'
import type { AdmissionGate, OrgLogService } from './admission-gate.ts'
import type { SignalingConfig } from './config.ts'
import { KvOrgLogStore } from './kv-org-log-store.ts'
import { MembershipGate } from './membership-gate.ts'
import { MembershipOrgLog } from './membership-org-log.ts'
import { parseRedisUrl, RedisConnection } from './redis/redis-client.ts'
import { RedisOrgLogRelay } from './redis/redis-org-log-relay.ts'
import { RedisTopicBus } from './redis/redis-topic-bus.ts'
import type { TopicBus } from './topic-hub.ts'

export interface Services {
  gate?: AdmissionGate
  orgLog?: OrgLogService
  bus?: TopicBus
  close(): void
}

export async function openServices(config: SignalingConfig): Promise<Services> {
  const closers: (() => void)[] = []
  let log: MembershipOrgLog | undefined
  let gate: AdmissionGate | undefined
  if (config.orgRoot) {
    const anchor = parseOrgAnchor(config.orgRoot)
    const store = await KvOrgLogStore.open(config.dataDir)
    closers.push(() => store.close())
    // Native Ed25519 (node:crypto in Deno) when it self-tests: entry signatures in batches and the
    // per-connection admission signature; noble otherwise.
    const provider = await createNodeCryptoProvider()
    log = await MembershipOrgLog.open(anchor, store, provider)
    gate = new MembershipGate(anchor, log, provider)
  } else if (!config.open) {
    throw new Error('CONCH_ORG_ROOT is required (or CONCH_SIGNALING_OPEN=1 for development)')
  }
  let bus: TopicBus | undefined
  if (config.redisUrl) {
    const address = parseRedisUrl(config.redisUrl)
    const commands = new RedisConnection(address)
    const subscriber = new RedisConnection(address, true)
    await Promise.all([commands.connect(), subscriber.connect()])
    closers.push(() => commands.close(), () => subscriber.close())
    const instanceId = crypto.randomUUID()
    const topicBus = new RedisTopicBus(commands, subscriber, instanceId)
    const relay = log ? new RedisOrgLogRelay(commands, subscriber, instanceId, log) : undefined
    subscriber.onPush = (channel, payload) => {
      if (!topicBus.receive(channel, payload)) relay?.receive(channel, payload)
    }
    await relay?.catchUp()
    bus = topicBus
  }
  return {
    gate,
    orgLog: log,
    bus,
    close() {
      for (const c of closers) c()
    },
  }
}
