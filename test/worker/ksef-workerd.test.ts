// The KSeF client runs in workerd as it does on Node: WebCrypto's RSA-OAEP with the key read out
// of the fake's X.509 certificate, AES-256-CBC, SHA-256 — the channel bundled alone into a Worker
// that sends one invoice to the fake KSeF (on Node), which decrypts and validates it. KOD II's
// signature too: made in workerd with the Offline certificate's key, checked on Node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { readFileSync } from 'node:fs'
import { constants, createHash, generateKeyPairSync, verify } from 'node:crypto'
import { parse } from 'smol-toml'
import { startFakeKsef, type FakeKsef } from '../../src/einvoice/ksef/fake-server'
import { isKsefNumber } from '../../src/einvoice/ksef/number'
import { fa3Document } from '../einvoice/fixtures/fa3'

const NIP = '5260250274'
const TOKEN = 'workerd-token'
let fake: FakeKsef
let mf: Miniflare

const ENTRY = `
import { KsefChannel } from './src/einvoice/ksef/channel'
import { kodIILink, parseOfflineKey } from './src/einvoice/kod2'
export default {
  async fetch(request) {
    if (new URL(request.url).pathname === '/kod2') {
      const { pem, hash } = await request.json()
      const sha256 = Uint8Array.from(atob(hash), (c) => c.charCodeAt(0))
      return new Response(await kodIILink('test', 'PL${NIP}', { serial: '01F20A5D352AE590', key: parseOfflineKey(pem) }, sha256))
    }
    const { url, token, nip, xml } = await request.json()
    const channel = new KsefChannel({ apiBase: url, token, nip }, { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), pollEveryMs: 50 }, 20)
    const bytes = Uint8Array.from(atob(xml), (c) => c.charCodeAt(0))
    const outcomes = await channel.send([{ invoiceId: 'w', document: { format: 'FA3', fileName: 'w.xml', xml: bytes } }])
    return Response.json(outcomes)
  },
}`

beforeAll(async () => {
  fake = await startFakeKsef({ tokens: { [TOKEN]: NIP } })
  const bundled = await build({ stdin: { contents: ENTRY, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, format: 'esm', platform: 'browser', write: false })
  const toml = parse(readFileSync('wrangler.toml', 'utf8')) as { compatibility_date: string; compatibility_flags?: string[] }
  mf = new Miniflare({ modules: true, script: bundled.outputFiles[0]!.text, compatibilityDate: toml.compatibility_date, compatibilityFlags: toml.compatibility_flags ?? [] })
}, 60_000)

afterAll(async () => {
  await mf?.dispose()
  await fake?.close()
})

describe('the KSeF channel in workerd', () => {
  it('authenticates, opens a session, sends an invoice the fake decrypts, and gets its KSeF number and UPO', async () => {
    const doc = fa3Document({ nip: NIP, number: 'FV/2026/009001' })
    const res = await mf.dispatchFetch('http://worker/', { method: 'POST', body: JSON.stringify({ url: fake.url, token: TOKEN, nip: NIP, xml: Buffer.from(doc.xml).toString('base64') }) })
    const [outcome] = (await res.json()) as { status: string; number: string; receipt: string }[]
    expect(outcome!.status).toBe('accepted')
    expect(isKsefNumber(outcome!.number)).toBe(true)
    expect(outcome!.receipt).toContain(outcome!.number)
    expect(fake.state.received.map((r) => r.xml)).toEqual([new TextDecoder().decode(doc.xml)])
  }, 60_000)

  it('signs KOD II with an RSA-PSS and an ECDSA P-256 key, each verified by its public key', async () => {
    const hash = createHash('sha256').update('<Faktura/>').digest()
    for (const [type, options, check] of [
      ['rsa', { modulusLength: 2048 }, { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }],
      ['ec', { namedCurve: 'P-256' }, { dsaEncoding: 'ieee-p1363' }],
    ] as const) {
      const keys = generateKeyPairSync(type as 'rsa', options as { modulusLength: number })
      const pem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
      const res = await mf.dispatchFetch('http://worker/kod2', { method: 'POST', body: JSON.stringify({ pem, hash: hash.toString('base64') }) })
      const link = await res.text()
      expect(res.status, link).toBe(200)
      const signed = link.slice('https://'.length, link.lastIndexOf('/'))
      expect(signed).toBe(`qr-test.ksef.mf.gov.pl/certificate/Nip/${NIP}/${NIP}/01F20A5D352AE590/${hash.toString('base64url')}`)
      const signature = Buffer.from(link.slice(link.lastIndexOf('/') + 1), 'base64url')
      expect(verify('sha256', Buffer.from(signed), { key: keys.publicKey, ...check }, signature), type).toBe(true)
    }
  }, 60_000)
})
