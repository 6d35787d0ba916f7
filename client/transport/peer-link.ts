// One authenticated-or-not pipe to one peer; every transport (WebRTC, libp2p, in-process) yields these.

export interface PeerLink {
  /** Transport-level peer id (not an identity: peers are authenticated inside the channel). */
  readonly id: string
  /** Which transport carried the bytes, e.g. 'webrtc-datachannel'; surfaced in diagnostics. */
  readonly kind: string
  send(frame: Uint8Array): void
  /** Tears the link down (both ends see it go); link authentication calls it on a failed proof. */
  close?(): void
  /**
   * Channel binding: what this transport authenticated about each end below us (DTLS certificate
   * fingerprints for WebRTC, libp2p peer ids under Noise). Link authentication signs both, so a
   * proof made on one connection is worthless on another (docs/protocol/transport.md §2).
   */
  readonly binding?: LinkBinding
}

export interface LinkBinding {
  local: Uint8Array
  remote: Uint8Array
}

export interface LinkEvents {
  up(link: PeerLink): void
  down(link: PeerLink): void
  frame(link: PeerLink, bytes: Uint8Array): void
}
