// A device's own secrets: its id, Ed25519 signing key and X25519 identity key (DESIGN §4).

import type { IdentityKeyPair } from '../../crypto/x3dh/identity.ts'
import { generateDhKeyPair } from '../../crypto/primitives/x25519.ts'
import { generateSigningKeyPair } from '../../crypto/primitives/ed25519.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'

export const DEVICE_ID_LENGTH = 16

export interface DeviceKeys {
  deviceId: Uint8Array
  identity: IdentityKeyPair
}

export function generateDeviceKeys(random: RandomSource): DeviceKeys {
  return {
    deviceId: random(DEVICE_ID_LENGTH),
    identity: { signing: generateSigningKeyPair(random), dh: generateDhKeyPair(random) },
  }
}
