// The cryptography KSeF 2.0 asks of a client, on WebCrypto alone so that it runs on Node and in
// workerd: RSA-OAEP (SHA-256, MGF1-SHA-256) with the Ministry's public keys, AES-256-CBC with PKCS#7
// padding for invoices, SHA-256 hashes in Base64. The Ministry publishes its keys as X.509
// certificates (DER, Base64); WebCrypto imports only the SubjectPublicKeyInfo inside, so
// spkiOfCertificate reads just enough DER to find it.
import { decodeBase64, encodeBase64 } from '@oslojs/encoding'

export { decodeBase64, encodeBase64 }

/** WebCrypto's types want bytes over a plain ArrayBuffer; a copy is one. */
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes)

const OAEP = { name: 'RSA-OAEP', hash: 'SHA-256' } as const

/** One DER element: its tag, where its content starts and ends, and where the next element starts. */
export type Der = { at: number; tag: number; start: number; end: number; next: number }

export function readDer(bytes: Uint8Array, at: number): Der {
  if (at + 2 > bytes.length) throw new Error('DER: truncated')
  const tag = bytes[at]!
  let length = bytes[at + 1]!
  let start = at + 2
  if (length & 0x80) {
    const octets = length & 0x7f
    if (octets < 1 || octets > 4) throw new Error('DER: unsupported length')
    length = 0
    for (let i = 0; i < octets; i++) length = length * 256 + bytes[start + i]!
    start += octets
  }
  const end = start + length
  if (end > bytes.length) throw new Error('DER: truncated')
  return { at, tag, start, end, next: end }
}

export function children(bytes: Uint8Array, parent: Der): Der[] {
  const out: Der[] = []
  for (let at = parent.start; at < parent.end; at = out[out.length - 1]!.next) out.push(readDer(bytes, at))
  return out
}

const SEQUENCE = 0x30
const OID = 0x06

/**
 * The SubjectPublicKeyInfo of a DER certificate; a DER SubjectPublicKeyInfo is returned as it is
 * (the OpenAPI document's example shows one, the live API sends certificates).
 */
export function spkiOfCertificate(der: Uint8Array): Uint8Array {
  const outer = readDer(der, 0)
  if (outer.tag !== SEQUENCE) throw new Error('not a certificate or public key')
  const [first] = children(der, outer)
  if (!first) throw new Error('not a certificate or public key')
  // SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier SEQUENCE { OID, … }, BIT STRING }
  if (first.tag === SEQUENCE && readDer(der, first.start).tag === OID) return der.slice(0, outer.next)
  // Certificate ::= SEQUENCE { tbsCertificate, … }; tbsCertificate ::= SEQUENCE { [0] version?,
  // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, … }
  const tbs = children(der, first)
  const fields = tbs[0]?.tag === 0xa0 ? tbs.slice(1) : tbs
  const spki = fields[5]
  if (!spki || spki.tag !== SEQUENCE) throw new Error('certificate without a public key')
  return der.slice(spki.at, spki.next)
}

export async function rsaOaepKey(certificateBase64: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('spki', own(spkiOfCertificate(decodeBase64(certificateBase64))), OAEP, false, ['encrypt'])
}

export async function rsaOaepEncrypt(key: CryptoKey, plain: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.encrypt(OAEP, key, own(plain)))
}

export async function sha256Base64(bytes: Uint8Array): Promise<string> {
  return encodeBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', own(bytes))))
}

/** A session's symmetric key: 32 random bytes and a 16-byte IV (new per session, as the Ministry recommends). */
export type SessionKey = { raw: Uint8Array; iv: Uint8Array; key: CryptoKey }

export async function newSessionKey(): Promise<SessionKey> {
  const raw = crypto.getRandomValues(new Uint8Array(32))
  const iv = crypto.getRandomValues(new Uint8Array(16))
  // WebCrypto's AES-CBC pads with PKCS#7, as KSeF requires.
  const key = await crypto.subtle.importKey('raw', raw, { name: 'AES-CBC' }, false, ['encrypt'])
  return { raw, iv, key }
}

/** The ciphertext alone: the reference client sends no IV prefix (the IV went with the session). */
export async function aesCbcEncrypt(session: SessionKey, plain: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv: own(session.iv) }, session.key, own(plain)))
}
