// The KSeF client and channel against the fake KSeF: token authentication, an online session whose
// key the fake unwraps, invoices the fake decrypts and validates, status polling, KSeF numbers,
// UPOs, 440 duplicates and 450 rejections, and a KSeF that is down or slow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { X509Certificate } from 'node:crypto'
import { KsefClient, KsefError } from '../../src/einvoice/ksef/client'
import { KsefChannel } from '../../src/einvoice/ksef/channel'
import { isKsefNumber, ksefNumber } from '../../src/einvoice/ksef/number'
import { spkiOfCertificate, decodeBase64 } from '../../src/einvoice/ksef/crypto'
import { startFakeKsef, type FakeKsef } from '../../src/einvoice/ksef/fake-server'
import { fa3Document } from './fixtures/fa3'

const NIP = '5260250274'
const TOKEN = 'kontor-test-ksef-token'
let fake: FakeKsef
const fast = { sleep: async () => {}, pollEveryMs: 0 }

beforeAll(async () => {
  fake = await startFakeKsef({ tokens: { [TOKEN]: NIP } })
})
afterAll(() => fake.close())

describe('KSeF numbers', () => {
  it('check the documented example and the CRC-8 of new ones', () => {
    expect(isKsefNumber('5265877635-20250826-0100001AF629-AF')).toBe(true)
    expect(isKsefNumber('5265877635-20250826-0100001AF629-AE')).toBe(false)
    expect(ksefNumber('5265877635', '20250826', '0100001af629')).toBe('5265877635-20250826-0100001AF629-AF')
  })
})

describe('the KSeF client', () => {
  it('reads the public key out of the X.509 certificate the API publishes', async () => {
    const list = (await (await fetch(`${fake.url}/security/public-key-certificates`)).json()) as { certificate: string }[]
    const der = decodeBase64(list[0]!.certificate)
    const spki = spkiOfCertificate(der)
    const expected = new X509Certificate(Buffer.from(der)).publicKey.export({ type: 'spki', format: 'der' })
    expect(Buffer.from(spki).equals(expected)).toBe(true)
  })

  it('authenticates with the KSeF token, sends an invoice the fake decrypts, and gets its number and UPO', async () => {
    const client = new KsefClient({ baseUrl: fake.url, ...fast })
    const tokens = await client.authenticate(NIP, TOKEN)
    const session = await client.openSession(tokens.accessToken)
    const doc = fa3Document({ nip: NIP, number: 'FV/2026/000101' })
    const sent = await client.sendInvoice(tokens.accessToken, session, doc.xml)
    // What the fake decrypted with its private key is exactly what was sent.
    expect(fake.state.received.at(-1)!.xml).toBe(new TextDecoder().decode(doc.xml))
    const status = await client.awaitInvoice(tokens.accessToken, session.referenceNumber, sent.referenceNumber, 3)
    expect(status.state).toBe('accepted')
    if (status.state !== 'accepted') return
    expect(isKsefNumber(status.ksefNumber)).toBe(true)
    expect(status.ksefNumber.startsWith(`${NIP}-`)).toBe(true)
    const upo = await client.invoiceUpo(tokens.accessToken, session.referenceNumber, status.ksefNumber)
    expect(upo).toContain(`<NumerKSeFDokumentu>${status.ksefNumber}</NumerKSeFDokumentu>`)
    expect(upo).toContain(`<SkrotDokumentu>${sent.invoiceHash}</SkrotDokumentu>`)
    await client.closeSession(tokens.accessToken, session.referenceNumber)
    // The access token is renewed with the refresh token.
    const renewed = await client.refresh(tokens)
    expect(renewed.accessToken).not.toBe(tokens.accessToken)
  })

  it('is refused with a wrong KSeF token', async () => {
    const client = new KsefClient({ baseUrl: fake.url, ...fast })
    const error = await client.authenticate(NIP, 'not-the-token').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KsefError)
    expect((error as KsefError).failure).toEqual({ kind: 'refused', status: 450, reasons: ['Nieprawidłowy token'] })
  })

  it('keeps polling while KSeF is still processing', async () => {
    fake.state.processingPolls = 2
    try {
      const channel = new KsefChannel({ apiBase: fake.url, token: TOKEN, nip: NIP }, fast, 3)
      const [outcome] = await channel.send([{ invoiceId: 'i1', document: fa3Document({ nip: NIP, number: 'FV/2026/000102' }) }])
      expect(outcome!.status).toBe('accepted')
      const polls = fake.state.requests.filter((r) => /^GET \/sessions\/[^/]+\/invoices\/[^/]+$/.test(r))
      expect(polls.length).toBeGreaterThanOrEqual(3)
    } finally {
      fake.state.processingPolls = 0
    }
  })
})

describe('the KSeF channel', () => {
  const channel = () => new KsefChannel({ apiBase: fake.url, token: TOKEN, nip: NIP }, fast, 3)

  it('answers a duplicate with the first sending’s KSeF number and UPO (440 reconciled)', async () => {
    const doc = fa3Document({ nip: NIP, number: 'FV/2026/000201' })
    const [first] = await channel().send([{ invoiceId: 'a', document: doc }])
    const [again] = await channel().send([{ invoiceId: 'a', document: doc }])
    expect(first!.status).toBe('accepted')
    expect(again!.status).toBe('accepted')
    if (first!.status !== 'accepted' || again!.status !== 'accepted') return
    expect(again!.number).toBe(first!.number)
    expect(again!.note).toMatch(/^KSeF already had this invoice \(440/)
    expect(again!.receipt).toContain(first!.number)
  })

  it('returns 450 with xmllint’s reasons for an invoice that breaks the schema', async () => {
    const doc = fa3Document({ nip: NIP, number: 'FV/2026/000301' })
    const broken = new TextEncoder().encode(new TextDecoder().decode(doc.xml).replace(/<P_1>[^<]*<\/P_1>/, '<P_1>not a date</P_1>'))
    const [outcome] = await channel().send([{ invoiceId: 'b', document: { ...doc, xml: broken } }])
    expect(outcome!.status).toBe('rejected')
    if (outcome!.status !== 'rejected') return
    expect(outcome!.reasons[0]).toBe('450')
    expect(outcome!.reasons[1]).toBe('Błąd weryfikacji semantyki dokumentu faktury')
    expect(outcome!.reasons.join('\n')).toMatch(/P_1.*not a date/)
  })

  it('says unavailable, sending nothing, while KSeF is down', async () => {
    fake.state.down = true
    const before = fake.state.received.length
    try {
      const [outcome] = await channel().send([{ invoiceId: 'c', document: fa3Document({ nip: NIP, number: 'FV/2026/000401' }) }])
      expect(outcome).toEqual({ status: 'unavailable', detail: expect.stringMatching(/answered 503$/) })
      expect(fake.state.received.length).toBe(before)
    } finally {
      fake.state.down = false
    }
  })

  it('gives up on a hung KSeF after its timeout', async () => {
    fake.state.delayMs = 2000
    try {
      const slow = new KsefChannel({ apiBase: fake.url, token: TOKEN, nip: NIP }, { ...fast, timeoutMs: 200 }, 3)
      const [outcome] = await slow.send([{ invoiceId: 'd', document: fa3Document({ nip: NIP, number: 'FV/2026/000501' }) }])
      expect(outcome!.status).toBe('unavailable')
    } finally {
      fake.state.delayMs = 0
    }
  })
})

describe('the KSeF channel when its access token stops working', () => {
  it('keeps the invoice waiting (not refused) and logs in again on the next batch', async () => {
    const channel = new KsefChannel({ apiBase: fake.url, token: TOKEN, nip: NIP }, fast, 3)
    const [first] = await channel.send([{ invoiceId: 'e', document: fa3Document({ nip: NIP, number: 'FV/2026/000601' }) }])
    expect(first!.status).toBe('accepted')
    // KSeF withdrew the token's access between two batches: every protected call answers 401.
    fake.state.revokeAccess()
    const [second] = await channel.send([{ invoiceId: 'f', document: fa3Document({ nip: NIP, number: 'FV/2026/000602' }) }])
    expect(second!.status).toBe('unavailable')
    const [third] = await channel.send([{ invoiceId: 'f', document: fa3Document({ nip: NIP, number: 'FV/2026/000602' }) }])
    expect(third!.status).toBe('accepted')
  })
})
