// A duplex in-process link between two engines (frames delivered on a later task), with a tap
// on what each side sent and a cut that loses frames (a partition, not a queue).

import type { ChannelEngine } from '../../client/engine/channel-engine.ts'
import type { PeerLink } from '../../client/transport/peer-link.ts'

let nextId = 0
let inFlight = 0

export interface InProcessLink {
  sentByA: Uint8Array[]
  sentByB: Uint8Array[]
  cut(): void
}

export function connect(a: ChannelEngine, b: ChannelEngine, kind = 'memory'): InProcessLink {
  let open = true
  const id = nextId++
  const sentByA: Uint8Array[] = []
  const sentByB: Uint8Array[] = []
  const deliver = (to: ChannelEngine, via: PeerLink, f: Uint8Array) => {
    inFlight++
    setTimeout(() => {
      inFlight--
      if (open) to.receive(via, f)
    }, 0)
  }
  const toB: PeerLink = {
    id: `to-b-${id}`,
    kind,
    send: (f) => {
      sentByA.push(f)
      if (open) deliver(b, toA, f)
    },
  }
  const toA: PeerLink = {
    id: `to-a-${id}`,
    kind,
    send: (f) => {
      sentByB.push(f)
      if (open) deliver(a, toB, f)
    },
  }
  a.linkUp(toB)
  b.linkUp(toA)
  return {
    sentByA,
    sentByB,
    cut() {
      open = false
      a.linkDown(toB)
      b.linkDown(toA)
    },
  }
}

/** Runs until no frame is in flight and every engine is idle, three rounds in a row. */
export async function settle(...engines: ChannelEngine[]): Promise<void> {
  let quiet = 0
  for (let i = 0; i < 5000 && quiet < 3; i++) {
    await new Promise((r) => setTimeout(r, 0))
    await Promise.all(engines.map((e) => e.idle()))
    quiet = inFlight === 0 ? quiet + 1 : 0
  }
}
