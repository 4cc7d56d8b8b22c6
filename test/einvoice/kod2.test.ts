// KSeF's KOD II (src/einvoice/kod2.ts): the signed text of the documented example, signatures that
// verify with the certificate's public key (RSA-PSS and ECDSA P-256), and keys KSeF would not take refused.
import { createPublicKey, generateKeyPairSync, verify, constants } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { kodIILink, kodIISignedText, parseCertificateSerial, parseOfflineKey, type OfflineCertificate } from '../../src/einvoice/kod2'

/** The example of kody-qr.md, as NOTES-ksef.md §8 gives it (TEST environment). */
const DOCUMENTED = 'qr-test.ksef.mf.gov.pl/certificate/Nip/1111111111/1111111111/01F20A5D352AE590/UtQp9Gpc51y-u3xApZjIjgkpZ01js-J8KflSPW8WzIE'
const HASH = Buffer.from('UtQp9Gpc51y-u3xApZjIjgkpZ01js-J8KflSPW8WzIE', 'base64url')

function rsaPem(bits = 2048) {
  return generateKeyPairSync('rsa', { modulusLength: bits, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
}
function ecPem(namedCurve = 'P-256') {
  return generateKeyPairSync('ec', { namedCurve, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
}

/** The link's parts after the host: certificate, context type and value, seller, serial, hash, signature. */
function partsOf(link: string) {
  const url = new URL(link)
  return { host: url.host, parts: url.pathname.split('/').slice(1) }
}

describe('KOD II', () => {
  it('signs the documented text: the link without https:// and without its signature', () => {
    expect(kodIISignedText('test', 'PL1111111111', '01F20A5D352AE590', HASH)).toBe(DOCUMENTED)
    expect(kodIISignedText('production', '1111111111', '01F20A5D352AE590', HASH)).toBe(DOCUMENTED.replace('qr-test.', 'qr.'))
  })

  it('with an RSA key: RSASSA-PSS over SHA-256 with a 32-byte salt, verified by the public key', async () => {
    const { publicKey, privateKey } = rsaPem()
    const certificate: OfflineCertificate = { serial: '01F20A5D352AE590', key: parseOfflineKey(privateKey) }
    expect(certificate.key).toMatchObject({ algorithm: 'RSA-PSS', bits: 2048 })
    const link = await kodIILink('test', 'PL1111111111', certificate, HASH)
    expect(link.startsWith(`https://${DOCUMENTED}/`)).toBe(true)
    const { parts } = partsOf(link)
    expect(parts.slice(0, 5)).toEqual(['certificate', 'Nip', '1111111111', '1111111111', '01F20A5D352AE590'])
    const signature = parts[6]!
    // Base64URL without padding: 256 bytes are 342 characters.
    expect(signature).toMatch(/^[A-Za-z0-9_-]{342}$/)
    const key = { key: createPublicKey(publicKey), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
    expect(verify('sha256', Buffer.from(DOCUMENTED), key, Buffer.from(signature, 'base64url'))).toBe(true)
    // Not a signature of anything else, nor one with another salt length.
    expect(verify('sha256', Buffer.from(DOCUMENTED + 'x'), key, Buffer.from(signature, 'base64url'))).toBe(false)
    expect(verify('sha256', Buffer.from(DOCUMENTED), { ...key, saltLength: 20 }, Buffer.from(signature, 'base64url'))).toBe(false)
  })

  it('with an ECDSA P-256 key: 64 bytes r||s (IEEE P1363), verified by the public key', async () => {
    const { publicKey, privateKey } = ecPem()
    const certificate = { serial: 'ABCDEF0123', key: parseOfflineKey(privateKey) }
    expect(certificate.key.algorithm).toBe('ECDSA')
    const link = await kodIILink('demo', '5260250274', certificate, HASH)
    const { host, parts } = partsOf(link)
    expect(host).toBe('qr-demo.ksef.mf.gov.pl')
    expect(parts[5]).toBe('UtQp9Gpc51y-u3xApZjIjgkpZ01js-J8KflSPW8WzIE')
    const signature = Buffer.from(parts[6]!, 'base64url')
    expect(parts[6]).toMatch(/^[A-Za-z0-9_-]{86}$/)
    expect(signature).toHaveLength(64)
    const signed = link.slice('https://'.length, link.lastIndexOf('/'))
    expect(verify('sha256', Buffer.from(signed), { key: createPublicKey(publicKey), dsaEncoding: 'ieee-p1363' }, signature)).toBe(true)
    expect(verify('sha256', Buffer.from(signed.replace('5260250274', '5260250275')), { key: createPublicKey(publicKey), dsaEncoding: 'ieee-p1363' }, signature)).toBe(false)
  })

  it('takes a key pasted on one line with \\n, and writes the serial in upper-case hex', () => {
    const { privateKey } = ecPem()
    expect(parseOfflineKey(privateKey.replace(/\n/g, '\\n')).algorithm).toBe('ECDSA')
    expect(parseCertificateSerial(' 0x01f20a5d352ae590 ')).toBe('01F20A5D352AE590')
  })

  it('refuses, with the reason, keys and serials KSeF would not take', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    const cases: [string, string][] = [
      ['no key at all', 'is not a PEM private key'],
      [rsa.export({ type: 'pkcs1', format: 'pem' }) as string, 'is a "RSA PRIVATE KEY", not PKCS#8'],
      [rsa.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string, 'is encrypted'],
      [rsaPem(1024).privateKey, 'is an RSA key of 1024 bits'],
      [ecPem('P-384').privateKey, 'another curve than P-256'],
      [generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 'neither RSA nor ECDSA P-256 (algorithm 1.3.101.112)'],
      ['-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', 'is not a PKCS#8 private key'],
    ]
    for (const [pem, message] of cases) expect(() => parseOfflineKey(pem), message).toThrow(message)
    for (const serial of ['', '01F2-0A5D', 'serial', 'A'.repeat(41)]) expect(() => parseCertificateSerial(serial)).toThrow('in hex')
  })
})
