// A local stand-in for an SdI intermediary (Node only), for tests and for `npm start` with an
// Italian seller: it takes FatturaPA files on POST /v1/invoices (API key, Idempotency-Key answered
// with the first answer), checks each against the FatturaPA XSD with xmllint, and plays SdI's part
// by notifying Kontor's webhook, signed as docs/einvoices.md says: NS with the schema errors for an
// invalid file or with SdI's 00417 for an Italian buyer named by neither partita IVA nor codice
// fiscale, MC when CodiceDestinatario is 0000000 with no PEC address (nobody to deliver to),
// RC otherwise. Tests deliver the notifications when they choose (`flush`), and can force an outcome.
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { xsdProblems } from '../ksef/fake-parts'
import { signatureHeader, SIGNATURE_HEADER, type Notification } from './webhook'

export const FATTURAPA_SCHEMA = resolve(process.cwd(), 'einvoice/it/fatturapa/Schema_del_file_xml_FatturaPA_v1.2.2.xsd')

export type FakeSdiOptions = {
  apiKey: string
  webhookSecret: string
  /** Delivers a notification to Kontor: fetch to its webhook, or a test's app.request. */
  deliver: (body: string, headers: Record<string, string>) => Promise<Response>
  /** Deliver each notification this long after the file arrived; unset: only on flush(). */
  autoDeliverMs?: number
  now?: () => Date
}

export type Delivery = { body: string; headers: Record<string, string>; status: number }

export async function startFakeSdi(opts: FakeSdiOptions) {
  const now = opts.now ?? (() => new Date())
  const answered = new Map<string, { status: number; body: string }>()
  const queue: Notification[] = []
  const state = {
    /** The next files' outcome, whatever they hold (tests). */
    force: null as null | 'RC' | 'MC' | 'NS',
    files: [] as { id: string; fileName: string; xml: string }[],
    /** Every notification delivered, with Kontor's answer: what a test replays or forges from. */
    deliveries: [] as Delivery[],
  }

  async function notificationFor(id: string, fileName: string, xml: Buffer): Promise<Notification> {
    const base = { id: `ntf_${randomBytes(8).toString('hex')}`, invoice: id, fileName, sdiId: String(10_000_000 + state.files.length), at: now().toISOString() }
    const problems = await xsdProblems(xml, FATTURAPA_SCHEMA)
    const text = xml.toString('utf8')
    const nobodyToDeliver = /<CodiceDestinatario>0000000<\/CodiceDestinatario>/.test(text) && !/<PECDestinatario>/.test(text)
    const unidentified = problems.length === 0 && unidentifiedItalianBuyer(text)
    const type = state.force ?? (problems.length > 0 || unidentified ? 'NS' : nobodyToDeliver ? 'MC' : 'RC')
    if (type === 'NS') {
      const errors = problems.length > 0
        ? problems.map((p) => ({ code: '00200', description: `File non conforme al formato: ${p}` }))
        : unidentified
          ? [{ code: '00417', description: '1.4.1.1 <IdFiscaleIVA> e 1.4.1.2 <CodiceFiscale> non valorizzati (almeno uno dei due deve essere valorizzato)' }]
          : [{ code: '00404', description: 'Fattura duplicata' }]
      return { ...base, type, errors }
    }
    return { ...base, type }
  }

  async function deliver(n: Notification): Promise<Delivery> {
    const body = JSON.stringify(n)
    const headers = { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: await signatureHeader(opts.webhookSecret, Math.floor(now().getTime() / 1000), body) }
    const res = await opts.deliver(body, headers)
    const delivery = { body, headers, status: res.status }
    state.deliveries.push(delivery)
    return delivery
  }

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const send = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
    if (req.method !== 'POST' || req.url !== '/v1/invoices') return send(404, { error: 'not_found' })
    if (req.headers.authorization !== `Bearer ${opts.apiKey}`) return send(401, { error: 'invalid_api_key' })
    const key = String(req.headers['idempotency-key'] ?? '')
    const replay = key ? answered.get(key) : undefined
    if (replay) return res.writeHead(replay.status, { 'Content-Type': 'application/json' }).end(replay.body)
    let body: { fileName?: string; xml?: string }
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    } catch {
      return send(400, { errors: [{ code: 'json', description: 'the body is not JSON' }] })
    }
    if (!body.fileName || !body.xml) return send(422, { errors: [{ code: 'missing', description: 'fileName and xml are required' }] })
    const xml = Buffer.from(body.xml, 'base64')
    const id = `sdi_${randomBytes(8).toString('hex')}`
    state.files.push({ id, fileName: body.fileName, xml: xml.toString('utf8') })
    const notification = await notificationFor(id, body.fileName, xml)
    const answer = JSON.stringify({ id, status: 'submitted' })
    if (key) answered.set(key, { status: 201, body: answer })
    res.writeHead(201, { 'Content-Type': 'application/json' }).end(answer)
    if (opts.autoDeliverMs === undefined) queue.push(notification)
    else setTimeout(() => void deliver(notification).catch(() => queue.push(notification)), opts.autoDeliverMs)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  // It never keeps a process alive by itself (a script, a test run): whoever started it does.
  server.unref()
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    /** Delivers every queued notification now, in order. */
    flush: async () => {
      const out: Delivery[] = []
      while (queue.length > 0) out.push(await deliver(queue.shift()!))
      return out
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

export type FakeSdi = Awaited<ReturnType<typeof startFakeSdi>>

/** SdI's check 00417: a buyer in Italy must be named by its partita IVA (IdFiscaleIVA) or its codice fiscale. */
export function unidentifiedItalianBuyer(xml: string): boolean {
  const buyer = /<CessionarioCommittente>([\s\S]*?)<\/CessionarioCommittente>/.exec(xml)?.[1] ?? ''
  return /<Nazione>IT<\/Nazione>/.test(buyer) && !/<IdFiscaleIVA>/.test(buyer) && !/<CodiceFiscale>/.test(buyer)
}
