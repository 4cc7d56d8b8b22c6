// KSeF numbers (NOTES-ksef §6): `NIP-YYYYMMDD-HHHHHHHHHHHH-CC`, 35 characters, where CC is CRC-8
// (polynomial 0x07, initial value 0) over the first 32 characters, in upper-case hex. The client
// refuses to store a number that fails the check; the fake server issues numbers the same way.

export function crc8(text: string): number {
  let crc = 0
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff
  }
  return crc
}

const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, '0')

/** A KSeF number for the seller, the acceptance day (YYYYMMDD) and 12 hex characters. */
export function ksefNumber(nip: string, day: string, technical: string): string {
  const data = `${nip}-${day}-${technical.toUpperCase()}`
  return `${data}-${hex2(crc8(data))}`
}

export function isKsefNumber(text: string): boolean {
  const m = /^(\d{10}-\d{8}-[0-9A-F]{12})-([0-9A-F]{2})$/.exec(text)
  return m !== null && hex2(crc8(m[1]!)) === m[2]
}
