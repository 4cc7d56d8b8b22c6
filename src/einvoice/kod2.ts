// KSeF's "KOD II" (kody-qr.md, NOTES-ksef.md §8): the second QR code of an offline invoice, which
// lets a buyer check who issued it. Its link names the issuer's KSeF certificate of the Offline type
// and carries a signature, made with that certificate's private key, over the link itself. WebCrypto
// only, so it runs on Node and in workerd; the key is read (and checked) without it, at start.
import { sellerNip } from './fa3'
import { base64Url, KSEF_QR_HOSTS, type KsefEnvironment } from './kod1'
import { children, decodeBase64, readDer, type Der } from './ksef/crypto'

/** The label under the code. */
export const CERTIFICATE_LABEL = 'CERTYFIKAT'

/** An Offline-type KSeF certificate's serial (hex, upper case as KSeF writes it) and its private key. */
export type OfflineCertificate = { serial: string; key: OfflineKey }

/** A PKCS#8 private key already found to be one KSeF takes: RSA of ≥ 2048 bits, or ECDSA on P-256. */
export type OfflineKey = { algorithm: 'RSA-PSS' | 'ECDSA'; bits: number; pkcs8: Uint8Array }

const OIDS = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
} as const

const SEQUENCE = 0x30
const INTEGER = 0x02
const OCTET_STRING = 0x04
const OID = 0x06

function oidText(bytes: Uint8Array, el: Der): string {
  const raw = bytes.subarray(el.start, el.end)
  const parts = [Math.floor(raw[0]! / 40), raw[0]! % 40]
  let value = 0
  for (const b of raw.subarray(1)) {
    value = value * 128 + (b & 0x7f)
    if (!(b & 0x80)) {
      parts.push(value)
      value = 0
    }
  }
  return parts.join('.')
}

/** What is wrong with a key, as the end of a sentence starting with the setting's name. */
class KeyProblem extends Error {}

function must(el: Der | undefined, tag: number): Der {
  if (!el || el.tag !== tag) throw new KeyProblem('is not a PKCS#8 private key')
  return el
}

/** An INTEGER's size in bits, its sign octet not counted. */
function integerBits(bytes: Uint8Array, el: Der): number {
  let i = el.start
  while (i < el.end - 1 && bytes[i] === 0) i++
  return (el.end - i) * 8 - Math.clz32(bytes[i]!) + 24
}

/**
 * Reads a PEM `PRIVATE KEY` (PKCS#8, unencrypted) and checks it is one KSeF accepts for KOD II;
 * throws a message saying what is wrong and how to convert it. Literal `\n` (a key pasted into a
 * one-line setting) counts as a line break.
 */
export function parseOfflineKey(pem: string): OfflineKey {
  const text = pem.replace(/\\n/g, '\n').trim()
  const m = /^-----BEGIN ([A-Z ]+)-----\s+([A-Za-z0-9+/=\s]+?)\s*-----END \1-----$/.exec(text)
  if (!m) throw new Error('is not a PEM private key (-----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY-----)')
  if (m[1] === 'ENCRYPTED PRIVATE KEY') throw new Error('is encrypted: give it unencrypted (`openssl pkcs8 -topk8 -nocrypt -in key.pem`) and keep it as a secret')
  if (m[1] !== 'PRIVATE KEY') throw new Error(`is a "${m[1]}", not PKCS#8: convert it with \`openssl pkcs8 -topk8 -nocrypt -in key.pem\``)
  let der: Uint8Array
  try {
    der = decodeBase64(m[2]!.replace(/\s+/g, ''))
  } catch {
    throw new Error('is not valid Base64 between its PEM lines')
  }
  try {
    // PrivateKeyInfo ::= SEQUENCE { version INTEGER, AlgorithmIdentifier SEQUENCE { OID, parameters }, privateKey OCTET STRING, … }
    const outer = must(readDer(der, 0), SEQUENCE)
    const [version, algorithm, privateKey] = children(der, outer)
    must(version, INTEGER)
    const [oid, parameters] = children(der, must(algorithm, SEQUENCE))
    const kind = oidText(der, must(oid, OID))
    const inner = must(privateKey, OCTET_STRING)
    const pkcs8 = der.slice(0, outer.next)
    if (kind === OIDS.rsaEncryption) {
      // RSAPrivateKey ::= SEQUENCE { version, modulus INTEGER, … }
      const modulus = must(children(der, must(readDer(der, inner.start), SEQUENCE))[1], INTEGER)
      const bits = integerBits(der, modulus)
      if (bits < 2048) throw new KeyProblem(`is an RSA key of ${bits} bits: KSeF asks for at least 2048`)
      return { algorithm: 'RSA-PSS', bits, pkcs8 }
    }
    if (kind === OIDS.ecPublicKey) {
      const curve = parameters?.tag === OID ? oidText(der, parameters) : ''
      if (curve !== OIDS.prime256v1) throw new KeyProblem('is an EC key on another curve than P-256 (prime256v1), the one KSeF takes')
      return { algorithm: 'ECDSA', bits: 256, pkcs8 }
    }
    if (kind === OIDS.rsassaPss) throw new KeyProblem('is an RSASSA-PSS-only key, which WebCrypto cannot read: generate the certificate\'s key as plain RSA (`openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`)')
    throw new KeyProblem(`is neither RSA nor ECDSA P-256 (algorithm ${kind})`)
  } catch (e) {
    if (e instanceof KeyProblem) throw new Error(e.message)
    throw new Error('is not a PKCS#8 private key (its DER does not read)')
  }
}

/** A certificate serial as KSeF writes it: hex digits, upper case (up to 20 bytes, as X.509 allows). */
export function parseCertificateSerial(value: string): string {
  const serial = value.trim().replace(/^0x/i, '')
  if (!/^[0-9A-Fa-f]{1,40}$/.test(serial)) throw new Error(`must be the KSeF certificate's serial number in hex (e.g. 01F20A5D352AE590), not "${value}"`)
  return serial.toUpperCase()
}

/** WebCrypto's keys, imported once per key (a Worker isolate or the Node process keeps them). */
const imported = new WeakMap<OfflineKey, Promise<CryptoKey>>()

function signingKey(key: OfflineKey): Promise<CryptoKey> {
  let found = imported.get(key)
  if (!found) {
    const algorithm = key.algorithm === 'RSA-PSS' ? { name: 'RSA-PSS', hash: 'SHA-256' } : { name: 'ECDSA', namedCurve: 'P-256' }
    found = crypto.subtle.importKey('pkcs8', new Uint8Array(key.pkcs8), algorithm, false, ['sign'])
    // A refusal is not kept: the next invoice tries again (and says why again).
    found.catch(() => imported.delete(key))
    imported.set(key, found)
  }
  return found
}

/** RSASSA-PSS with a 32-byte salt, or ECDSA with SHA-256 (WebCrypto gives IEEE P1363 r||s, 64 bytes). */
async function sign(key: OfflineKey, data: Uint8Array): Promise<Uint8Array> {
  const params = key.algorithm === 'RSA-PSS' ? { name: 'RSA-PSS', saltLength: 32 } : { name: 'ECDSA', hash: 'SHA-256' }
  return new Uint8Array(await crypto.subtle.sign(params, await signingKey(key), new Uint8Array(data)))
}

/**
 * What is signed: `<qr host>/certificate/Nip/<context NIP>/<seller NIP>/<serial>/<invoice hash
 * Base64URL>`, the link without `https://` and without its last part. Kontor's KSeF context is the
 * seller's own NIP, so both NIPs are the seller's.
 */
export function kodIISignedText(environment: KsefEnvironment, sellerTaxId: string, serial: string, sha256: Uint8Array): string {
  if (sha256.length !== 32) throw new Error('a SHA-256 hash is 32 bytes')
  const nip = sellerNip(sellerTaxId)
  const host = KSEF_QR_HOSTS[environment].replace(/^https:\/\//, '')
  return `${host}/certificate/Nip/${nip}/${nip}/${serial}/${base64Url(sha256)}`
}

/** KOD II's link for an invoice whose file has this SHA-256: `https://` + the signed text + `/` + the signature, Base64URL. */
export async function kodIILink(environment: KsefEnvironment, sellerTaxId: string, certificate: OfflineCertificate, sha256: Uint8Array): Promise<string> {
  const signed = kodIISignedText(environment, sellerTaxId, certificate.serial, sha256)
  const signature = await sign(certificate.key, new TextEncoder().encode(signed))
  return `https://${signed}/${base64Url(signature)}`
}
