// The page side of the browser transport tests: an org-mode device (engine behind link
// authentication) that the spec drives through `window.conch`. Bundled by harness-bundle.ts;
// libp2p is imported lazily here exactly as the app would, so it loads only when used.

import { joinMesh } from '../../client/integration/support/mesh-device.ts'
import {
  openOrgDevice,
  type OrgDevice,
  type OrgDeviceConfig,
} from '../../client/integration/support/org-device.ts'

export interface HarnessState {
  texts: string[]
  links: { kind: string; user: string }[]
  rejected: number
  libp2pLoaded: boolean
}

export interface Harness {
  open(config: OrgDeviceConfig): Promise<void>
  joinMesh(wsUrl: string, topic: string): void
  dialLibp2p(address: string): Promise<void>
  /** Goes offline: stops the libp2p node (the engine and its state stay). */
  hangUp(): Promise<void>
  post(text: string): void
  state(): HarnessState
}

let device: OrgDevice | undefined
let config: OrgDeviceConfig | undefined
let libp2pLoaded = false
let stopLibp2p: (() => Promise<void>) | undefined

const harness: Harness = {
  async open(c) {
    config = c
    device = await openOrgDevice(c)
  },
  joinMesh(wsUrl, topic) {
    joinMesh(device!, config!, wsUrl, topic)
  },
  async dialLibp2p(address) {
    const { createConchNode, Libp2pLinks } = await import(
      '../../../client/transport/libp2p/index.ts'
    )
    libp2pLoaded = true
    const node = await createConchNode({ role: 'device', listen: [] })
    const links = new Libp2pLinks(node, device!.auth.events)
    await links.start()
    links.keep(address)
    stopLibp2p = async () => {
      await links.stop()
      await node.stop()
    }
  },
  async hangUp() {
    await stopLibp2p?.()
    stopLibp2p = undefined
  },
  post(text) {
    device!.engine.post(text)
  },
  state() {
    return {
      texts: device?.texts() ?? [],
      links: device?.auth.links().map((l) => ({ kind: l.kind, user: l.identity.userId })) ?? [],
      rejected: device?.engine.stats.envelopesRejected ?? 0,
      libp2pLoaded,
    }
  },
}
;(globalThis as unknown as { conch: Harness }).conch = harness
