// Just enough DER to build a self-signed X.509 certificate for the fake KSeF server (Node only):
// the real API publishes its keys as certificates, so the client's certificate parsing is
// exercised against one.
import { createSign, type KeyObject } from 'node:crypto'

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

const tlv = (tag: number, content: Buffer) => Buffer.concat([Buffer.from([tag]), length(content.length), content])
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts))
const oid = (encoded: number[]) => tlv(0x06, Buffer.from(encoded))
const SHA256_WITH_RSA = oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b])
const COMMON_NAME = oid([0x55, 0x04, 0x03])
const utcTime = (d: Date) => tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'))
const name = (cn: string) => seq(tlv(0x31, seq(COMMON_NAME, tlv(0x0c, Buffer.from(cn)))))

/** A self-signed certificate (DER) holding `publicKey`, valid from `from` to `to`. */
export function selfSignedCertificate(publicKey: KeyObject, privateKey: KeyObject, cn: string, from: Date, to: Date): Buffer {
  const algorithm = seq(SHA256_WITH_RSA, Buffer.from([0x05, 0x00]))
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, Buffer.from([0x01, ...Array.from({ length: 7 }, (_, i) => (i * 37 + cn.length) & 0x7f)])),
    algorithm,
    name(cn),
    seq(utcTime(from), utcTime(to)),
    name(cn),
    publicKey.export({ type: 'spki', format: 'der' }),
  )
  const signature = createSign('sha256').update(tbs).sign(privateKey)
  return seq(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])))
}
