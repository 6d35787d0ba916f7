// TopicBus over Redis pub/sub: one Redis channel per topic, so an instance only receives the
// topics its own clients subscribed to. Payload: `<instance id>\n<publish JSON>`.

import type { TopicBus } from '../topic-hub.ts'
import type { RedisConnection } from './redis-client.ts'

export const TOPIC_CHANNEL_PREFIX = 'conch:topic:'

export class RedisTopicBus implements TopicBus {
  onMessage: (topic: string, body: string) => void = () => {}

  constructor(
    private readonly publisher: RedisConnection,
    private readonly subscriber: RedisConnection,
    private readonly instanceId: string,
  ) {}

  /** Called with every pub/sub push the subscriber connection receives. */
  receive(channel: string, payload: string): boolean {
    if (!channel.startsWith(TOPIC_CHANNEL_PREFIX)) return false
    const newline = payload.indexOf('\n')
    if (newline < 0) return true
    // Our own publishes were already delivered locally.
    if (payload.slice(0, newline) === this.instanceId) return true
    this.onMessage(channel.slice(TOPIC_CHANNEL_PREFIX.length), payload.slice(newline + 1))
    return true
  }

  join(topic: string): void {
    this.subscriber.subscribe(TOPIC_CHANNEL_PREFIX + topic)
  }

  leave(topic: string): void {
    this.subscriber.unsubscribe(TOPIC_CHANNEL_PREFIX + topic)
  }

  publish(topic: string, body: string): void {
    this.publisher.send('PUBLISH', TOPIC_CHANNEL_PREFIX + topic, `${this.instanceId}\n${body}`)
  }
}
