// Every wire and state codec: decode(encode(x)) equals x, and decoders fed arbitrary or mutated
// bytes never throw anything but a typed ConchError (codec/*) and never accept trailing bytes.

import fc from 'fast-check'
import { assert, assertEquals } from './assert.ts'
import { utf8 } from '../../crypto/codec/bytes.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import { createNobleProvider } from '../../crypto/provider/noble-provider.ts'
import {
  decodeRatchetHeader,
  decodeRatchetMessage,
  encodeRatchetHeader,
  encodeRatchetMessage,
} from '../../crypto/ratchet/ratchet-message.ts'
import type { RatchetState } from '../../crypto/ratchet/ratchet-state.ts'
import { decodeRatchetState, encodeRatchetState } from '../../crypto/ratchet/ratchet-state-codec.ts'
import {
  decodePairwiseEnvelope,
  encodePairwiseEnvelope,
  type PairwiseEnvelope,
} from '../../crypto/session/pairwise-envelope.ts'
import {
  createSenderChain,
  decodeSenderChainState,
  encodeSenderChainState,
  type SenderChainState,
} from '../../crypto/sender-keys/sender-chain.ts'
import { senderEncrypt } from '../../crypto/sender-keys/sender-cipher.ts'
import { decodeSenderKeyMessage } from '../../crypto/sender-keys/sender-key-message.ts'
import {
  decodeDistributionMessage,
  encodeDistributionMessage,
} from '../../crypto/sender-keys/distribution-message.ts'
import { decodeInitialMessage, encodeInitialMessage } from '../../crypto/x3dh/initial-message.ts'
import {
  createPrekeyBundle,
  decodePrekeyBundle,
  encodePrekeyBundle,
  type PrekeyBundle,
} from '../../crypto/x3dh/prekey-bundle.ts'
import { establish, makeResponder } from './fixtures.ts'

// Plain-prototype records, so deep equality compares like with like.
function record<T extends Record<string, unknown>>(
  model: { [K in keyof T]: fc.Arbitrary<T[K]> },
): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true }) as unknown as fc.Arbitrary<T>
}
const key = fc.uint8Array({ minLength: 32, maxLength: 32 })
const counter = fc.nat({ max: 0xffffffff })
const identity = record({ signingKey: key, dhKey: key })
const id = fc.uint8Array({ maxLength: 64 })

const ratchetState: fc.Arbitrary<RatchetState> = record({
  role: fc.constantFrom('initiator' as const, 'responder' as const),
  localIdentity: identity,
  remoteIdentity: identity,
  baseKey: key,
  rootKey: key,
  sendingRatchetKey: record({ secretKey: key, publicKey: key }),
  receivingRatchetKey: key,
  sendingChainKey: fc.option(key, { nil: undefined }),
  receivingChainKey: fc.option(key, { nil: undefined }),
  sendingCount: counter,
  receivingCount: counter,
  previousSendingCount: counter,
  skipped: fc.array(record({ ratchetKey: key, messageNumber: counter, messageKey: key }), {
    maxLength: 20,
  }),
  previousReceivingKeys: fc.array(key, { maxLength: 5 }),
  pendingInitial: fc.option(
    record({
      signedPreKeyId: counter,
      oneTimePreKeyId: fc.option(counter, { nil: undefined }),
    }),
    { nil: undefined },
  ),
})

const senderChain: fc.Arbitrary<SenderChainState> = record({
  channelId: id,
  epoch: fc.nat(),
  deviceId: id,
  iteration: counter,
  chainKey: key,
  signingPublicKey: key,
  signingSecretKey: fc.option(key, { nil: undefined }),
  skipped: fc.array(record({ iteration: counter, messageKey: key }), { maxLength: 20 }),
})

const bundle: fc.Arbitrary<PrekeyBundle> = record({
  identity,
  signedPreKeyId: counter,
  signedPreKey: key,
  signedPreKeySignature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
  oneTimePreKey: fc.option(record({ id: counter, publicKey: key }), { nil: undefined }),
})

const envelope: fc.Arbitrary<PairwiseEnvelope> = fc.oneof(
  record({
    type: fc.constant('initial' as const),
    initial: record({
      initiator: identity,
      baseKey: key,
      signedPreKeyId: counter,
      oneTimePreKeyId: fc.option(counter, { nil: undefined }),
      message: fc.tuple(key, counter, counter, fc.uint8Array({ maxLength: 100 })).map((
        [ratchetKey, previousChainLength, messageNumber, ct],
      ) =>
        encodeRatchetMessage(
          encodeRatchetHeader({ ratchetKey, previousChainLength, messageNumber }),
          ct,
        )
      ),
    }),
  }),
  fc.tuple(key, counter, counter, fc.uint8Array({ maxLength: 100 })).map((
    [ratchetKey, previousChainLength, messageNumber, ct],
  ) => ({
    type: 'ratchet' as const,
    message: encodeRatchetMessage(
      encodeRatchetHeader({ ratchetKey, previousChainLength, messageNumber }),
      ct,
    ),
  })),
)

Deno.test('round trips: session state, sender chain, prekey bundle, envelopes, headers', () => {
  fc.assert(fc.property(ratchetState, (s) => {
    // A state without a receiving chain key may still carry DHr; both survive encoding.
    assertEquals(decodeRatchetState(encodeRatchetState(s)), s)
  }))
  fc.assert(fc.property(senderChain, (s) => {
    assertEquals(decodeSenderChainState(encodeSenderChainState(s)), s)
  }))
  fc.assert(fc.property(bundle, (b) => assertEquals(decodePrekeyBundle(encodePrekeyBundle(b)), b)))
  fc.assert(fc.property(envelope, (e) => {
    assertEquals(decodePairwiseEnvelope(encodePairwiseEnvelope(e)), e)
    if (e.type === 'initial') {
      assertEquals(decodeInitialMessage(encodeInitialMessage(e.initial)), e.initial)
    }
  }))
  fc.assert(fc.property(key, counter, counter, (ratchetKey, pn, n) => {
    const h = { ratchetKey, previousChainLength: pn, messageNumber: n }
    assertEquals(decodeRatchetHeader(encodeRatchetHeader(h)), h)
  }))
})

/** Runs `decode` on `bytes`; the only acceptable failure is a typed codec/crypto ConchError. */
function decodesOrTypedError(decode: (b: Uint8Array) => unknown, bytes: Uint8Array): boolean {
  try {
    decode(bytes)
    return true
  } catch (e) {
    assert(
      isConchError(e) && (e.code.startsWith('codec/') || e.code === 'crypto/bad-key'),
      `untyped or unexpected error: ${e}`,
    )
    return false
  }
}

const decoders: [string, (b: Uint8Array) => unknown][] = [
  ['ratchet header', decodeRatchetHeader],
  ['ratchet message', decodeRatchetMessage],
  ['pairwise envelope', decodePairwiseEnvelope],
  ['initial message', decodeInitialMessage],
  ['prekey bundle', decodePrekeyBundle],
  ['session state', decodeRatchetState],
  ['sender chain state', decodeSenderChainState],
  ['sender-key message', decodeSenderKeyMessage],
  ['distribution message', decodeDistributionMessage],
]

Deno.test('decoders fed random bytes never throw untyped errors', () => {
  for (const [, decode] of decoders) {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        decodesOrTypedError(decode, bytes)
      }),
      { numRuns: 500 },
    )
  }
})

Deno.test('decoders fed mutations of valid encodings: typed errors only, and no trailing bytes', async () => {
  const p = createNobleProvider()
  const { alice, bob } = await establish(p)
  const responder = await makeResponder(p)
  const own = await createSenderChain(p, { channelId: utf8('c'), epoch: 1, deviceId: utf8('d') })
  const samples: [number, Uint8Array][] = [
    [5, encodeRatchetState(alice)],
    [5, encodeRatchetState(bob)],
    [
      4,
      encodePrekeyBundle(
        createPrekeyBundle(responder.identity, responder.signedPreKey, responder.oneTimePreKey),
      ),
    ],
    [6, encodeSenderChainState(own)],
    [7, (await senderEncrypt(p, own, utf8('x'))).message],
    [8, encodeDistributionMessage(own)],
  ]
  for (const [index, valid] of samples) {
    const decode = decoders[index][1]
    assert(decodesOrTypedError(decode, valid), `${decoders[index][0]} rejects its own encoding`)
    assert(!decodesOrTypedError(decode, new Uint8Array([...valid, 0])), 'trailing byte accepted')
    fc.assert(
      fc.property(fc.nat(), fc.nat(255), fc.nat(), (at, value, cut) => {
        const mutated = valid.slice()
        mutated[at % mutated.length] = value
        decodesOrTypedError(decode, mutated)
        decodesOrTypedError(decode, valid.slice(0, cut % valid.length))
      }),
      { numRuns: 300 },
    )
  }
})
