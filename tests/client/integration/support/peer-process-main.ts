// A member device in its own Node process (spawned by support/peer-process.ts): an org-mode
// engine behind link authentication, on the WebRTC mesh (node-datachannel) and/or a libp2p
// link to the always-on peer. Commands arrive as JSON lines on stdin; every state change is
// reported as one JSON line on stdout.

import * as wrtc from 'node-datachannel/polyfill'
import { createInterface } from 'node:readline'
import { joinMesh } from './mesh-device.ts'
import { openOrgDevice, type OrgDeviceConfig } from './org-device.ts'
import { libp2pNode } from './libp2p-device.ts'

export interface PeerProcessConfig {
  device: OrgDeviceConfig
  mesh?: { wsUrl: string; topic: string }
  libp2p?: string
}

Object.assign(globalThis, { RTCPeerConnection: wrtc.RTCPeerConnection })
const config: PeerProcessConfig = JSON.parse(process.env.CONCH_PEER_CONFIG!)
const device = await openOrgDevice(config.device)
const report = () =>
  console.log(JSON.stringify({
    texts: device.texts(),
    links: device.auth.links().map((l) => ({ kind: l.kind, user: l.identity.userId })),
    rejected: device.engine.stats.envelopesRejected,
  }))
device.engine.subscribe(report)
const stops: (() => Promise<void> | void)[] = []
if (config.mesh) {
  const m = joinMesh(device, config.device, config.mesh.wsUrl, config.mesh.topic)
  stops.push(() => m.close())
}
if (config.libp2p) {
  const node = await libp2pNode(device.auth.events)
  node.links.keep(config.libp2p)
  stops.push(() => node.stop())
}
// Link changes are not engine changes: report them too.
setInterval(report, 250)
report()

for await (const line of createInterface({ input: process.stdin })) {
  const cmd = JSON.parse(line)
  if (cmd.post) device.engine.post(cmd.post)
  if (cmd.stop) break
}
for (const stop of stops) await stop()
process.exit(0)
