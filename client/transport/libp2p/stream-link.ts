// One Conch protocol stream on a libp2p connection, as a PeerLink: length-prefixed frames both
// ways, the two libp2p peer ids (authenticated by Noise) as channel binding.

import type { Connection, PeerId, Stream } from '@libp2p/interface'
import type { LinkEvents, PeerLink } from '../peer-link.ts'
import { encodeStreamFrame, StreamFrameDecoder } from './stream-framing.ts'

/** Protocol id negotiated for Conch links (multistream-select). */
export const CONCH_PROTOCOL = '/conch/link/1.0.0'
export const LIBP2P_LINK_KIND = 'libp2p-stream'
/** A catch-up can queue many megabytes before the muxer drains; bounded all the same. */
const MAX_WRITE_BUFFER_BYTES = 64 << 20

export interface StreamLink extends PeerLink {
  readonly remotePeer: PeerId
  readonly relayed: boolean
}

/**
 * Wires `stream` to `events`: `up` now, `frame` per decoded frame, `down` once when the stream
 * closes or is reset (or sends a malformed length). Returns the link.
 */
export function attachStream(
  stream: Stream,
  connection: Connection,
  localPeer: PeerId,
  events: LinkEvents,
): StreamLink {
  const decoder = new StreamFrameDecoder()
  let open = true
  stream.maxWriteBufferLength = MAX_WRITE_BUFFER_BYTES
  // Links are long-lived and may sit idle between messages.
  stream.inactivityTimeout = 0
  const link: StreamLink = {
    id: `${connection.remotePeer.toString()}/${stream.id}`,
    kind: LIBP2P_LINK_KIND,
    remotePeer: connection.remotePeer,
    relayed: !connection.direct,
    binding: {
      local: localPeer.toMultihash().bytes,
      remote: connection.remotePeer.toMultihash().bytes,
    },
    send(frame) {
      if (!open) throw new Error('link closed')
      stream.send(encodeStreamFrame(frame))
    },
    close() {
      if (!open) return
      stream.abort(new Error('closed by conch'))
    },
  }
  const down = () => {
    if (!open) return
    open = false
    events.down(link)
  }
  stream.addEventListener('message', (event) => {
    if (!open) return
    let frames: Uint8Array[]
    try {
      frames = decoder.push(event.data.subarray())
    } catch {
      stream.abort(new Error('malformed frame length'))
      return down()
    }
    for (const f of frames) if (open) events.frame(link, f)
  })
  stream.addEventListener('close', down)
  events.up(link)
  return link
}
