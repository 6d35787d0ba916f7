// Counters and gauges for `GET /metrics`, rendered in the Prometheus text exposition format 0.0.4.

import type { CloseReason } from './close-codes.ts'

/** The process's memory as `Deno.memoryUsage()` reports it. */
export interface MemoryGauges {
  rss: number
  heapTotal: number
  heapUsed: number
  external: number
}

export class SignalingMetrics {
  connectionsOpened = 0
  connectionsClosed = 0
  admitted = 0
  messagesIn = 0
  messagesOut = 0
  publishes = 0
  droppedRateLimited = 0
  orgLogEntriesAccepted = 0
  orgLogPostsRefused = 0
  readonly refusals = new Map<CloseReason, number>()

  refuse(reason: CloseReason): void {
    this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1)
  }

  /** `gauges` are read at render time: current connections, topics, org log size, memory. */
  render(gauges: {
    connections: number
    topics: number
    orgLogEntries: number
    memory?: MemoryGauges
  }): string {
    const lines: string[] = []
    const metric = (name: string, type: string, help: string, value: number | string[]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
      if (Array.isArray(value)) lines.push(...value)
      else lines.push(`${name} ${value}`)
    }
    metric('conch_connections', 'gauge', 'Open WebSocket connections.', gauges.connections)
    metric('conch_topics', 'gauge', 'Topics with at least one local subscriber.', gauges.topics)
    metric('conch_org_log_entries', 'gauge', 'Entries in the org log.', gauges.orgLogEntries)
    const memory = gauges.memory
    if (memory) {
      metric('process_resident_memory_bytes', 'gauge', 'Resident set size.', memory.rss)
      metric('conch_heap_total_bytes', 'gauge', 'V8 heap reserved.', memory.heapTotal)
      metric('conch_heap_used_bytes', 'gauge', 'V8 heap in use.', memory.heapUsed)
      metric(
        'conch_external_bytes',
        'gauge',
        'Memory held outside V8 by JS objects.',
        memory.external,
      )
    }
    metric(
      'conch_connections_opened_total',
      'counter',
      'WebSocket connections accepted.',
      this.connectionsOpened,
    )
    metric(
      'conch_connections_closed_total',
      'counter',
      'WebSocket connections closed.',
      this.connectionsClosed,
    )
    metric('conch_admitted_total', 'counter', 'Connections that passed admission.', this.admitted)
    metric('conch_messages_in_total', 'counter', 'Frames received from clients.', this.messagesIn)
    metric('conch_messages_out_total', 'counter', 'Frames sent to clients.', this.messagesOut)
    metric('conch_publishes_total', 'counter', 'Publish messages fanned out.', this.publishes)
    metric(
      'conch_dropped_rate_limited_total',
      'counter',
      'Frames dropped by the per-connection rate limit.',
      this.droppedRateLimited,
    )
    metric(
      'conch_org_log_accepted_total',
      'counter',
      'Org log entries accepted.',
      this.orgLogEntriesAccepted,
    )
    metric(
      'conch_org_log_refused_total',
      'counter',
      'Org log posts refused.',
      this.orgLogPostsRefused,
    )
    const refusals = [...this.refusals].sort(([a], [b]) => a.localeCompare(b))
      .map(([reason, n]) => `conch_refusals_total{reason="${reason}"} ${n}`)
    metric(
      'conch_refusals_total',
      'counter',
      'Connections closed by the worker, by reason.',
      refusals.length ? refusals : ['conch_refusals_total{reason="none"} 0'],
    )
    return lines.join('\n') + '\n'
  }
}
