// Puts an org device on the WebRTC mesh of a channel topic, as the app does: the signaling
// client (answering the worker's admission challenge with the device credential) and the
// lead's WebrtcMesh, whose links go through link authentication before the engine sees them.
// Browser-safe (no Node built-ins): Chromium pages run it from the bundled harness.

import { base64url, fromBase64url } from '../../../../crypto/codec/bytes.ts'
import { signAdmission } from '../../../../crypto/membership/admission.ts'
import { parseOrgAnchor } from '../../../../crypto/membership/org-anchor.ts'
import { secureRandom } from '../../../../crypto/primitives/random.ts'
import { SignalingClient } from '../../../../client/transport/signaling-client.ts'
import { WebrtcMesh } from '../../../../client/transport/webrtc-mesh.ts'
import type { OrgDevice, OrgDeviceConfig } from './org-device.ts'

export interface MeshMembership {
  mesh: WebrtcMesh
  signaling: SignalingClient
  close(): void
}

export function joinMesh(
  device: OrgDevice,
  config: OrgDeviceConfig,
  wsUrl: string,
  topic: string,
): MeshMembership {
  const orgId = parseOrgAnchor(config.anchor).orgId
  let mesh: WebrtcMesh | undefined = undefined
  const signaling = new SignalingClient({
    url: wsUrl,
    onMessage: (m) => mesh?.handle(m),
    onOpen: () => mesh?.start(),
    answerChallenge: (challenge) => ({
      type: 'auth',
      challenge: String(challenge),
      credential: config.secrets.credential,
      signature: base64url(
        signAdmission(
          fromBase64url(config.secrets.signingSecretKey),
          orgId,
          fromBase64url(String(challenge)),
        ),
      ),
    }),
  })
  mesh = new WebrtcMesh({
    signaling,
    topic,
    // A fresh transport id per join: it names a connection, never a person.
    peerId: base64url(secureRandom(12)),
    events: device.auth.events,
  })
  if (signaling.status === 'open') mesh.start()
  const joined = mesh
  return {
    mesh: joined,
    signaling,
    close() {
      joined.close()
      signaling.close()
    },
  }
}
