// A slow, readable reference of X3DH and the Double Ratchet, written straight from the Signal
// specs (X3DH §3, Double Ratchet §3) with mutable state and plain byte concatenation, on the
// sync noble primitives. The real crypto/ is checked against it byte for byte.
// Deliberate, documented deviations shared with crypto/: the sending half of a DH ratchet step
// is taken at the next encrypt rather than at receipt, and a message key is expanded with
// HKDF-Expand only (it is already uniformly random).

import { hkdfRaw, hmacSha256 } from '../../../crypto/primitives/kdf.ts'
import { dh, dhPublicKey } from '../../../crypto/primitives/x25519.ts'
import { open, seal } from '../../../crypto/primitives/aead.ts'
import { sign, verify } from '../../../crypto/primitives/ed25519.ts'
import type { RandomSource } from '../../../crypto/primitives/random.ts'
import { concatBytes, equalBytes, toHex, utf8 } from '../../../crypto/codec/bytes.ts'

const MAX_SKIP = 1000
const MAX_STORED = 2000

export interface RefKeyPair {
  secretKey: Uint8Array
  publicKey: Uint8Array
}
export interface RefIdentity {
  signing: RefKeyPair
  dh: RefKeyPair
}

export function generateDH(random: RandomSource): RefKeyPair {
  const secretKey = random(32)
  return { secretKey, publicKey: dhPublicKey(secretKey) }
}

/** Unsigned LEB128. */
export function varuint(n: number): Uint8Array {
  const out: number[] = []
  while (n > 0x7f) {
    out.push(0x80 | (n % 0x80))
    n = Math.floor(n / 0x80)
  }
  out.push(n)
  return Uint8Array.from(out)
}

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  return concatBytes(varuint(bytes.length), bytes)
}

const label = (context: string) => utf8('conch/v1/' + context)

function KDF_RK(rk: Uint8Array, dhOut: Uint8Array): [Uint8Array, Uint8Array] {
  const out = hkdfRaw(dhOut, rk, label('ratchet/root'), 64)
  return [out.slice(0, 32), out.slice(32)]
}

function KDF_CK(ck: Uint8Array): [Uint8Array, Uint8Array] {
  return [hmacSha256(ck, Uint8Array.of(0x02)), hmacSha256(ck, Uint8Array.of(0x01))]
}

/** HKDF-Expand (RFC 5869 §2.3) written out: T(1) = HMAC(PRK, info || 1), T(2) = HMAC(PRK, T(1) || info || 2). */
export function expandMessageKey(mk: Uint8Array, context: string): [Uint8Array, Uint8Array] {
  const info = label(context)
  const t1 = hmacSha256(mk, concatBytes(info, Uint8Array.of(1)))
  const t2 = hmacSha256(mk, concatBytes(t1, info, Uint8Array.of(2)))
  const okm = concatBytes(t1, t2)
  return [okm.slice(0, 32), okm.slice(32, 56)]
}

function identityBytes(id: { signing: { publicKey: Uint8Array }; dh: { publicKey: Uint8Array } }) {
  return concatBytes(id.signing.publicKey, id.dh.publicKey)
}

function signedPreKeyPayload(identityDh: Uint8Array, id: number, spk: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(1), identityDh, varuint(id), spk)
}

export function signPreKey(identity: RefIdentity, id: number, spk: Uint8Array): Uint8Array {
  return sign(
    identity.signing.secretKey,
    'x3dh/signed-prekey',
    signedPreKeyPayload(identity.dh.publicKey, id, spk),
  )
}

/** X3DH §2.2: KDF(KM) = HKDF(F || KM), F = 32 x 0xFF, salt = 32 zero bytes. */
export function x3dhKdf(km: Uint8Array[]): Uint8Array {
  const F = new Uint8Array(32).fill(0xff)
  return hkdfRaw(concatBytes(F, ...km), new Uint8Array(32), label('x3dh/shared-secret'), 32)
}

export class ReferenceSession {
  DHs!: RefKeyPair
  DHr: Uint8Array | null = null
  RK!: Uint8Array
  CKs: Uint8Array | null = null
  CKr: Uint8Array | null = null
  Ns = 0
  Nr = 0
  PN = 0
  MKSKIPPED = new Map<string, Uint8Array>()
  finishedChains: string[] = []
  pendingInitial: { spkId: number; opkId: number | undefined; EK: Uint8Array } | null = null
  AD_identities!: [Uint8Array, Uint8Array]
  localIdentity!: Uint8Array

  constructor(private readonly random: RandomSource) {}

  /** X3DH §3.3 and RatchetInitAlice. */
  static initiate(
    random: RandomSource,
    alice: RefIdentity,
    bob: { identity: { signing: { publicKey: Uint8Array }; dh: { publicKey: Uint8Array } } },
    bundle: {
      spkId: number
      spk: Uint8Array
      spkSig: Uint8Array
      opk?: { id: number; key: Uint8Array }
    },
  ): ReferenceSession {
    const payload = signedPreKeyPayload(bob.identity.dh.publicKey, bundle.spkId, bundle.spk)
    if (!verify(bob.identity.signing.publicKey, 'x3dh/signed-prekey', payload, bundle.spkSig)) {
      throw new Error('bad prekey signature')
    }
    const s = new ReferenceSession(random)
    const EK = generateDH(random)
    s.DHs = generateDH(random)
    const km = [
      dh(alice.dh.secretKey, bundle.spk),
      dh(EK.secretKey, bob.identity.dh.publicKey),
      dh(EK.secretKey, bundle.spk),
    ]
    if (bundle.opk) km.push(dh(EK.secretKey, bundle.opk.key))
    const SK = x3dhKdf(km)
    s.DHr = bundle.spk
    ;[s.RK, s.CKs] = KDF_RK(SK, dh(s.DHs.secretKey, s.DHr))
    s.pendingInitial = { spkId: bundle.spkId, opkId: bundle.opk?.id, EK: EK.publicKey }
    s.AD_identities = [identityBytes(alice), identityBytes(bob.identity)]
    s.localIdentity = identityBytes(alice)
    return s
  }

  /** X3DH §3.4 and RatchetInitBob, then the first decrypt. */
  static respond(
    random: RandomSource,
    bob: RefIdentity,
    spk: RefKeyPair,
    opk: RefKeyPair | undefined,
    envelope: Uint8Array,
  ): [ReferenceSession, Uint8Array] {
    const { ikA, EK, hasOpk, message } = parseInitial(envelope)
    const km = [dh(spk.secretKey, ikA.slice(32)), dh(bob.dh.secretKey, EK), dh(spk.secretKey, EK)]
    if (hasOpk) km.push(dh(opk!.secretKey, EK))
    const s = new ReferenceSession(random)
    s.RK = x3dhKdf(km)
    s.DHs = spk
    s.AD_identities = [ikA, identityBytes(bob)]
    s.localIdentity = identityBytes(bob)
    return [s, s.decryptMessage(message)]
  }

  encrypt(plaintext: Uint8Array): Uint8Array {
    if (this.CKs === null) {
      this.DHs = generateDH(this.random)
      ;[this.RK, this.CKs] = KDF_RK(this.RK, dh(this.DHs.secretKey, this.DHr!))
    }
    let mk: Uint8Array
    ;[this.CKs, mk] = KDF_CK(this.CKs)
    const header = concatBytes(
      Uint8Array.of(1),
      this.DHs.publicKey,
      varuint(this.PN),
      varuint(this.Ns),
    )
    this.Ns += 1
    const [key, nonce] = expandMessageKey(mk, 'ratchet/message-keys')
    const message = concatBytes(
      header,
      lengthPrefixed(seal(key, nonce, plaintext, this.ad(header))),
    )
    if (!this.pendingInitial) return concatBytes(Uint8Array.of(1, 2), message)
    const p = this.pendingInitial
    return concatBytes(
      Uint8Array.of(1, 1, 1),
      this.localIdentity,
      p.EK,
      varuint(p.spkId),
      p.opkId === undefined ? Uint8Array.of(0) : concatBytes(Uint8Array.of(1), varuint(p.opkId)),
      lengthPrefixed(message),
    )
  }

  /** Decrypts a pairwise envelope; on any failure every field is restored (spec §3.5 note). */
  decrypt(envelope: Uint8Array): Uint8Array {
    if (envelope[1] === 2) return this.decryptMessage(envelope.slice(2))
    return this.decryptMessage(parseInitial(envelope).message)
  }

  private decryptMessage(message: Uint8Array): Uint8Array {
    const saved = this.snapshot()
    try {
      return this.ratchetDecrypt(message)
    } catch (e) {
      Object.assign(this, saved)
      throw e
    }
  }

  private ratchetDecrypt(message: Uint8Array): Uint8Array {
    const dhPub = message.slice(1, 33)
    let at = 33
    const [PN, a] = readVaruint(message, at)
    at += a
    const [N, b] = readVaruint(message, at)
    at += b
    const header = message.slice(0, at)
    const [ctLen, c] = readVaruint(message, at)
    const ciphertext = message.slice(at + c, at + c + ctLen)
    const skippedId = toHex(dhPub) + ':' + N
    const skipped = this.MKSKIPPED.get(skippedId)
    if (skipped) {
      const pt = this.open(skipped, ciphertext, header)
      this.MKSKIPPED.delete(skippedId)
      this.pendingInitial = null
      return pt
    }
    if (this.DHr === null || !equalBytes(dhPub, this.DHr)) {
      if (this.finishedChains.includes(toHex(dhPub))) throw new Error('replay')
      if (this.CKr !== null && PN - this.Nr > MAX_SKIP) throw new Error('too many skipped')
      if (N > MAX_SKIP) throw new Error('too many skipped')
      this.skipMessageKeys(PN)
      // DHRatchet, receiving half (the sending half waits for the next encrypt).
      if (this.DHr) this.finishedChains = [...this.finishedChains, toHex(this.DHr)].slice(-5)
      this.PN = this.Ns
      this.Ns = 0
      this.Nr = 0
      this.DHr = dhPub
      ;[this.RK, this.CKr] = KDF_RK(this.RK, dh(this.DHs.secretKey, this.DHr))
      this.CKs = null
    }
    if (N < this.Nr) throw new Error('replay')
    if (N - this.Nr > MAX_SKIP) throw new Error('too many skipped')
    this.skipMessageKeys(N)
    let mk: Uint8Array
    ;[this.CKr, mk] = KDF_CK(this.CKr!)
    this.Nr += 1
    const pt = this.open(mk, ciphertext, header)
    this.pendingInitial = null
    return pt
  }

  private skipMessageKeys(until: number) {
    if (this.CKr === null) return
    while (this.Nr < until) {
      let mk: Uint8Array
      ;[this.CKr, mk] = KDF_CK(this.CKr)
      this.MKSKIPPED.set(toHex(this.DHr!) + ':' + this.Nr, mk)
      while (this.MKSKIPPED.size > MAX_STORED) {
        this.MKSKIPPED.delete(this.MKSKIPPED.keys().next().value!)
      }
      this.Nr += 1
    }
  }

  private ad(header: Uint8Array): Uint8Array {
    return concatBytes(
      lengthPrefixed(label('ratchet/message')),
      lengthPrefixed(this.AD_identities[0]),
      lengthPrefixed(this.AD_identities[1]),
      lengthPrefixed(header),
    )
  }

  private open(mk: Uint8Array, ciphertext: Uint8Array, header: Uint8Array): Uint8Array {
    const [key, nonce] = expandMessageKey(mk, 'ratchet/message-keys')
    return open(key, nonce, ciphertext, this.ad(header))
  }

  private snapshot() {
    return {
      DHs: this.DHs,
      DHr: this.DHr,
      RK: this.RK,
      CKs: this.CKs,
      CKr: this.CKr,
      Ns: this.Ns,
      Nr: this.Nr,
      PN: this.PN,
      MKSKIPPED: new Map(this.MKSKIPPED),
      finishedChains: this.finishedChains,
      pendingInitial: this.pendingInitial,
    }
  }
}

export function readVaruint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0
  let scale = 1
  let i = 0
  for (;;) {
    const b = bytes[at + i++]
    value += (b & 0x7f) * scale
    if ((b & 0x80) === 0) return [value, i]
    scale *= 128
  }
}

/** An initial envelope: 01 01 | 01 | IK_A (64) | EK (32) | varuint spkId | flag [varuint opkId] | lp(message). */
function parseInitial(envelope: Uint8Array) {
  let at = 3
  const ikA = envelope.slice(at, at + 64)
  at += 64
  const EK = envelope.slice(at, at + 32)
  at += 32
  at += readVaruint(envelope, at)[1]
  const hasOpk = envelope[at++] === 1
  if (hasOpk) at += readVaruint(envelope, at)[1]
  const [length, lengthBytes] = readVaruint(envelope, at)
  const message = envelope.slice(at + lengthBytes, at + lengthBytes + length)
  return { ikA, EK, hasOpk, message }
}
