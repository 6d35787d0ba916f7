// Derives a channel's id and its signaling topic from the channel secret and name. The topic is an
// opaque hash, so the signaling worker never learns channel names.

import { toHex, utf8 } from '../../crypto/codec/bytes.ts'
import { hkdf, sha256 } from '../../crypto/primitives/kdf.ts'
import { concatBytes } from '../../crypto/codec/bytes.ts'

export interface ChannelAddress {
  channelId: Uint8Array
  /** 64 lowercase hex characters. */
  topic: string
}

export function channelAddress(channelSecret: Uint8Array, channelName: string): ChannelAddress {
  const channelId = hkdf(channelSecret, utf8(channelName), 'channel/id', 16)
  const topic = toHex(sha256(concatBytes(utf8('conch/v1/topic/'), channelId)))
  return { channelId, topic }
}
