// Topic -> local subscribers, with fan-out to them and, through a TopicBus, to other instances.

/** Anything that can receive a ready-made frame: a connection. */
export interface Subscriber {
  deliver(frame: string): void
}

/** Carries publishes between worker instances (Redis pub/sub in production, none on one box). */
export interface TopicBus {
  /** Start receiving other instances' publishes on `topic`. */
  join(topic: string): void
  leave(topic: string): void
  /** `body` is the publish message as JSON without the `clients` field. */
  publish(topic: string, body: string): void
  /** Set by the hub: where publishes from other instances go. */
  onMessage: (topic: string, body: string) => void
}

/**
 * y-webrtc's server adds `clients` (local subscriber count) to each publish it re-broadcasts.
 * The body is serialised once and `clients` appended as the last member, as the reference does.
 */
export function withClientCount(body: string, clients: number): string {
  return `${body.slice(0, -1)},"clients":${clients}}`
}

export class TopicHub {
  private readonly topics = new Map<string, Set<Subscriber>>()
  bus: TopicBus | undefined

  constructor(bus?: TopicBus) {
    this.bus = bus
    if (bus) bus.onMessage = (topic, body) => this.deliverLocal(topic, body)
  }

  get topicCount(): number {
    return this.topics.size
  }

  subscribe(topic: string, subscriber: Subscriber): void {
    let subs = this.topics.get(topic)
    if (!subs) {
      subs = new Set()
      this.topics.set(topic, subs)
      this.bus?.join(topic)
    }
    subs.add(subscriber)
  }

  unsubscribe(topic: string, subscriber: Subscriber): void {
    const subs = this.topics.get(topic)
    if (!subs) return
    subs.delete(subscriber)
    if (subs.size === 0) {
      this.topics.delete(topic)
      this.bus?.leave(topic)
    }
  }

  /** Re-broadcasts a client's publish to every local subscriber (sender included) and the bus. */
  publish(topic: string, message: Record<string, unknown>): number {
    delete message.clients
    const body = JSON.stringify(message)
    this.bus?.publish(topic, body)
    return this.deliverLocal(topic, body)
  }

  /** A publish that arrived from another instance. */
  deliverLocal(topic: string, body: string): number {
    const subs = this.topics.get(topic)
    if (!subs) return 0
    const frame = withClientCount(body, subs.size)
    // Copy first: a delivery may close a slow consumer, which unsubscribes it mid-iteration.
    for (const s of [...subs]) s.deliver(frame)
    return subs.size
  }
}
