// Starts an in-process worker with admission on, backed by a real MembershipOrgLog (memory
// store) for `org`, and a clock the test moves; `admit` runs the client side of admission.

import { createNodeCryptoProvider } from '../../../crypto/provider/node-crypto-provider.ts'
import { MembershipGate } from '../../../signaling/src/membership-gate.ts'
import { MembershipOrgLog, type OrgLogStore } from '../../../signaling/src/membership-org-log.ts'
import { MemoryOrgLogStore } from '../../../signaling/src/membership-org-log.ts'
import type { SignalingLimits } from '../../../signaling/src/config.ts'
import { type RunningWorker, startWorker, testConfig } from './start-worker.ts'
import { TestClient } from './test-client.ts'
import { authMessage, T0, type TestDevice, type TestOrg } from './test-org.ts'

export interface AdmissionRun extends RunningWorker {
  clock: { now: number }
  log: MembershipOrgLog
}

export async function startAdmissionWorker(
  org: TestOrg,
  options: { limits?: Partial<SignalingLimits>; store?: OrgLogStore; leanWebSocket?: boolean } = {},
): Promise<AdmissionRun> {
  const clock = { now: T0 }
  const provider = await createNodeCryptoProvider()
  const log = await MembershipOrgLog.open(
    org.anchor,
    options.store ?? new MemoryOrgLogStore(),
    provider,
  )
  const run = await startWorker({
    config: testConfig({
      open: false,
      orgRoot: org.anchorText,
      limits: options.limits as SignalingLimits,
      ...(options.leanWebSocket === undefined ? {} : { leanWebSocket: options.leanWebSocket }),
    }),
    gate: new MembershipGate(org.anchor, log, provider),
    orgLog: log,
    now: () => clock.now,
  })
  return { ...run, clock, log }
}

/** Connects, answers the challenge as `device`, and returns the client with the welcome. */
export async function connectAs(
  wsUrl: string,
  org: TestOrg,
  device: TestDevice,
): Promise<{ client: TestClient; welcome: Record<string, unknown> }> {
  const client = await TestClient.connect(wsUrl)
  const challenge = await client.next((m) => m.type === 'challenge')
  client.send(authMessage(org, device, String(challenge.challenge)))
  const welcome = await client.next()
  return { client, welcome }
}
