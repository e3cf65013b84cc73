// The simulator's own Noise certificate chain: root → intermediate → leaf
// (leaf key = server static key). Signed for real, even though rc14 only length-checks the
// signatures (its Curve.verify accepts any 64 bytes, see curve.ts), so a Baileys that fixes that
// keeps connecting. The chain check is in node_modules/@whiskeysockets/baileys/lib/Utils/noise-handler.js.
import { proto } from '@whiskeysockets/baileys'
import { keyPairFromSeed, sign, type KeyPair } from './curve.js'
import type { CertChainKeys } from './noise.js'

export const DEFAULT_ROOT_SEED = 'sage-api wa-simulator root key v1'

export interface ServerIdentity extends CertChainKeys {
  root: KeyPair
}

function certificate(details: proto.CertChain.NoiseCertificate.IDetails, signer: KeyPair) {
  const encoded = Buffer.from(proto.CertChain.NoiseCertificate.Details.encode(details).finish())
  return { details: encoded, signature: sign(signer.private, encoded) }
}

export function makeServerIdentity(rootSeed = DEFAULT_ROOT_SEED): ServerIdentity {
  const root = keyPairFromSeed(rootSeed)
  const intermediate = keyPairFromSeed(`${rootSeed}/intermediate`)
  const staticKey = keyPairFromSeed(`${rootSeed}/leaf`)
  const now = Math.floor(Date.now() / 1000)
  const validity = { notBefore: now - 86400, notAfter: now + 365 * 86400 }
  // Baileys requires the intermediate's issuerSerial to equal WA_CERT_DETAILS.SERIAL (0).
  const inter = certificate({ serial: 1, issuerSerial: 0, key: intermediate.public, ...validity }, root)
  const leaf = certificate({ serial: 2, issuerSerial: 1, key: staticKey.public, ...validity }, intermediate)
  const certChain = Buffer.from(proto.CertChain.encode({ leaf, intermediate: inter }).finish())
  return { root, staticKey, certChain }
}
