// The crypto/ facade the sync engine uses: providers, pairwise sessions (X3DH + Double Ratchet),
// Sender Keys for channels, and every wire codec. Deeper modules stay importable for tests.

export type {
  CryptoProvider,
  DhKeyPair,
  SigningKeyPair,
  VerifyItem,
} from './provider/crypto-provider.ts'
export { createNobleProvider } from './provider/noble-provider.ts'
export { createWebCryptoProvider } from './provider/webcrypto-provider.ts'
export { createNodeCryptoProvider } from './provider/node-crypto-provider.ts'
export { defaultProvider } from './provider/default-provider.ts'
export {
  assertLabelledSignature,
  signLabelled,
  verifyLabelled,
  verifyLabelledMany,
} from './provider/labelled.ts'

export {
  encodePublicIdentity,
  type IdentityKeyPair,
  type PublicIdentity,
  publicIdentity,
  sameIdentity,
} from './x3dh/identity.ts'
export {
  createOneTimePreKey,
  createPrekeyBundle,
  createSignedPreKey,
  decodePrekeyBundle,
  encodePrekeyBundle,
  type OneTimePreKey,
  type PrekeyBundle,
  type SignedPreKey,
  verifySignedPreKey,
} from './x3dh/prekey-bundle.ts'
export {
  decodeInitialMessage,
  encodeInitialMessage,
  type InitialMessage,
} from './x3dh/initial-message.ts'
export { type InitiateInput, initiateSession } from './x3dh/x3dh-initiate.ts'
export {
  MAX_SEEN_BASE_KEYS,
  type RespondInput,
  type RespondResult,
  respondToSession,
} from './x3dh/x3dh-respond.ts'

export {
  MAX_PREVIOUS_RECEIVING_KEYS,
  MAX_SKIP,
  MAX_SKIPPED_KEYS,
  type RatchetState,
} from './ratchet/ratchet-state.ts'
export { decodeRatchetState, encodeRatchetState } from './ratchet/ratchet-state-codec.ts'
export { ratchetEncrypt } from './ratchet/ratchet-encrypt.ts'
export { ratchetDecrypt } from './ratchet/ratchet-decrypt.ts'
export {
  decodeRatchetHeader,
  decodeRatchetMessage,
  encodeRatchetHeader,
  type RatchetHeader,
} from './ratchet/ratchet-message.ts'

export {
  acceptPairwise,
  decryptPairwise,
  encryptPairwise,
  initialBaseKey,
} from './session/pairwise-session.ts'
export {
  decodePairwiseEnvelope,
  encodePairwiseEnvelope,
  type PairwiseEnvelope,
} from './session/pairwise-envelope.ts'

export {
  createSenderChain,
  decodeSenderChainState,
  encodeSenderChainState,
  MAX_SENDER_JUMP,
  MAX_SENDER_SKIPPED,
  type SenderChainId,
  type SenderChainState,
} from './sender-keys/sender-chain.ts'
export {
  senderDecrypt,
  senderDecryptMany,
  senderEncrypt,
  verifySenderKeyMessage,
} from './sender-keys/sender-cipher.ts'
export { decodeSenderKeyMessage, type SenderKeyMessage } from './sender-keys/sender-key-message.ts'
export {
  decodeDistributionMessage,
  encodeDistributionMessage,
  processDistribution,
} from './sender-keys/distribution-message.ts'

export { ConchError, type ConchErrorCode, isConchError } from './errors/conch-error.ts'
