// One authenticated-or-not pipe to one peer; every transport (WebRTC, libp2p, in-process) yields these.

export interface PeerLink {
  /** Transport-level peer id (not an identity: peers are authenticated inside the channel). */
  readonly id: string
  /** Which transport carried the bytes, e.g. 'webrtc-datachannel'; surfaced in diagnostics. */
  readonly kind: string
  send(frame: Uint8Array): void
}

export interface LinkEvents {
  up(link: PeerLink): void
  down(link: PeerLink): void
  frame(link: PeerLink, bytes: Uint8Array): void
}
