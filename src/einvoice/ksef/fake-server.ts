// A local stand-in for the subset of KSeF API 2.0 that src/einvoice/ksef/client.ts calls (Node
// only), for tests and for `npm start`: its own RSA key pair published as X.509 certificates,
// token authentication against a challenge, online sessions whose AES key it unwraps with its
// private key, invoices it really decrypts and checks (hashes, sizes, UTF-8 without BOM, the FA(3)
// XSD through xmllint), KSeF numbers with their CRC-8, a UPO per invoice, 440 for a duplicate
// (same hash, or same seller and invoice number), 450 with xmllint's reasons for an invalid one.
// Tests can take it down, slow it, and make statuses stay "processing" for some polls.
import { createDecipheriv, generateKeyPairSync, privateDecrypt, constants, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { selfSignedCertificate } from './fake-der'
import { ksefNumber } from './number'
import { reference, sha256, upoOf, xsdProblems, type Invoice, type Json, type Session } from './fake-parts'

export const FA3_SCHEMA = resolve(process.cwd(), 'einvoice/pl/fa3/schemat_FA(3)_v1-0E.xsd')

export type FakeKsefOptions = {
  /** KSeF tokens it accepts, each for a NIP. */
  tokens: Record<string, string>
  now?: () => Date
  schemaPath?: string
  /** Default: any free port. */
  port?: number
}

export async function startFakeKsef(opts: FakeKsefOptions) {
  const now = opts.now ?? (() => new Date())
  const schemaPath = opts.schemaPath ?? FA3_SCHEMA
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const validFrom = new Date(now().getTime() - 86_400_000)
  const validTo = new Date(now().getTime() + 365 * 86_400_000)
  const certificate = selfSignedCertificate(keys.publicKey, keys.privateKey, 'Fake KSeF', validFrom, validTo).toString('base64')

  const challenges = new Map<string, number>()
  const auths = new Map<string, { nip: string; authToken: string; redeemed: boolean; code: number; description: string }>()
  const accessTokens = new Map<string, { nip: string; validUntil: number }>()
  const refreshTokens = new Map<string, string>()
  const sessions = new Map<string, Session>()
  const invoices = new Map<string, Invoice>()
  /** The first accepted invoice per hash and per seller + invoice number, for 440. */
  const firstByHash = new Map<string, Invoice>()
  const firstByNumber = new Map<string, Invoice>()

  const state = {
    /** Answer 503 to everything while true. */
    down: false,
    /** Delay before every answer (a slow KSeF). */
    delayMs: 0,
    /** How many status polls of a new invoice answer 150 (processing) before its outcome. */
    processingPolls: 0,
    /** Every invoice it decrypted, in order: what Kontor really sent. */
    received: [] as { session: string; xml: string; hash: string; offlineMode: boolean }[],
    /** Every request, as `METHOD path`. */
    requests: [] as string[],
    /** Withdraws every access token given so far (refresh tokens too): the next calls answer 401. */
    revokeAccess: () => {
      accessTokens.clear()
      refreshTokens.clear()
    },
  }

  const token = () => randomBytes(24).toString('base64url')
  const problem = (status: number, title: string, detail?: string) => ({ status, body: { title, status, ...(detail ? { detail } : {}) } })
  const exception = (status: number, code: number, description: string, details: string[] = []) => ({
    status,
    body: { exception: { exceptionDetailList: [{ exceptionCode: code, exceptionDescription: description, details }], serviceCode: 'fake', timestamp: now().toISOString() } },
  })

  function bearer(req: IncomingMessage): string {
    return /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? ''
  }
  function accessOf(req: IncomingMessage): { nip: string } | null {
    const found = accessTokens.get(bearer(req))
    return found && found.validUntil > now().getTime() ? found : null
  }
  const unwrap = (b64: string) => privateDecrypt({ key: keys.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(b64, 'base64'))

  async function checkInvoice(session: Session, inv: Invoice, body: Json): Promise<void> {
    const encrypted = Buffer.from(String(body.encryptedInvoiceContent ?? ''), 'base64')
    let xml: Buffer
    try {
      const decipher = createDecipheriv('aes-256-cbc', session.key, session.iv)
      xml = Buffer.concat([decipher.update(encrypted), decipher.final()])
    } catch (e) {
      return void Object.assign(inv, { code: 435, description: 'Błąd odszyfrowania pliku', details: [String((e as Error).message)] })
    }
    if (sha256(xml) !== body.invoiceHash || xml.length !== body.invoiceSize) {
      return void Object.assign(inv, { code: 430, description: 'Błąd weryfikacji pliku faktury', details: ['invoiceHash or invoiceSize does not match the decrypted file'] })
    }
    state.received.push({ session: session.ref, xml: xml.toString('utf8'), hash: inv.hash, offlineMode: body.offlineMode === true })
    if (xml[0] === 0xef && xml[1] === 0xbb && xml[2] === 0xbf) {
      return void Object.assign(inv, { code: 430, description: 'Błąd weryfikacji pliku faktury', details: ['the file starts with a byte order mark (UTF-8 without BOM is required)'] })
    }
    const problems = await xsdProblems(xml, schemaPath)
    if (problems.length > 0) return void Object.assign(inv, { code: 450, description: 'Błąd weryfikacji semantyki dokumentu faktury', details: problems })
    const text = xml.toString('utf8')
    const sellerNip = /<Podmiot1>[\s\S]*?<NIP>(\d{10})<\/NIP>/.exec(text)?.[1] ?? ''
    if (sellerNip !== session.nip) {
      return void Object.assign(inv, { code: 410, description: 'Nieprawidłowy zakres uprawnień', details: [`the seller's NIP ${sellerNip} is not the session's context ${session.nip}`] })
    }
    inv.invoiceNumber = /<P_2>([^<]*)<\/P_2>/.exec(text)?.[1] ?? null
    inv.issueDate = /<P_1>([^<]*)<\/P_1>/.exec(text)?.[1] ?? null
    const first = firstByHash.get(inv.hash) ?? firstByNumber.get(`${sellerNip}|${inv.invoiceNumber}`)
    if (first) {
      return void Object.assign(inv, {
        code: 440,
        description: 'Duplikat faktury',
        details: [`Duplikat faktury. Faktura o numerze KSeF: ${first.ksefNumber} została już prawidłowo przesłana do systemu w sesji: ${first.session}`],
        extensions: { originalSessionReferenceNumber: first.session, originalKsefNumber: first.ksefNumber },
      })
    }
    const at = now()
    inv.ksefNumber = ksefNumber(sellerNip, at.toISOString().slice(0, 10).replace(/-/g, ''), randomBytes(6).toString('hex'))
    inv.acquisitionDate = at.toISOString()
    Object.assign(inv, { code: 200, description: 'Sukces' })
    firstByHash.set(inv.hash, inv)
    firstByNumber.set(`${sellerNip}|${inv.invoiceNumber}`, inv)
  }

  type Answer = { status: number; body?: unknown; xml?: string }

  async function route(method: string, path: string, req: IncomingMessage, body: Json): Promise<Answer> {
    const at = now()
    let m: RegExpExecArray | null
    if (method === 'GET' && path === '/security/public-key-certificates') {
      const cert = (usage: string, id: string) => ({ certificate, certificateId: id, publicKeyId: id, validFrom: validFrom.toISOString(), validTo: validTo.toISOString(), usage: [usage] })
      return { status: 200, body: [cert('KsefTokenEncryption', 'fake-token-key'), cert('SymmetricKeyEncryption', 'fake-symmetric-key')] }
    }
    if (method === 'POST' && path === '/auth/challenge') {
      const challenge = reference('CR', at)
      challenges.set(challenge, at.getTime())
      return { status: 200, body: { challenge, timestamp: at.toISOString(), timestampMs: at.getTime(), clientIp: '127.0.0.1' } }
    }
    if (method === 'POST' && path === '/auth/ksef-token') {
      const issued = challenges.get(String(body.challenge))
      if (issued === undefined) return exception(400, 21001, 'Nieprawidłowe wyzwanie autoryzacyjne')
      challenges.delete(String(body.challenge))
      const ref = reference('AU', at)
      const authToken = token()
      let code = 200
      let description = 'Uwierzytelnianie zakończone sukcesem'
      try {
        const [ksefToken, stamp] = unwrap(String(body.encryptedToken)).toString('utf8').split('|')
        const nip = opts.tokens[ksefToken ?? '']
        if (Number(stamp) !== issued) [code, description] = [450, 'Nieprawidłowy czas tokena']
        else if (!nip || body.contextIdentifier?.type !== 'Nip' || nip !== body.contextIdentifier?.value) [code, description] = [450, 'Nieprawidłowy token']
      } catch {
        ;[code, description] = [450, 'Nieprawidłowy token']
      }
      auths.set(ref, { nip: String(body.contextIdentifier?.value ?? ''), authToken, redeemed: false, code, description })
      return { status: 202, body: { referenceNumber: ref, authenticationToken: { token: authToken, validUntil: new Date(at.getTime() + 15 * 60_000).toISOString() } } }
    }
    if ((m = /^\/auth\/([^/]+)$/.exec(path)) && method === 'GET' && !['challenge', 'sessions'].includes(m[1]!)) {
      const auth = auths.get(decodeURIComponent(m[1]!))
      if (!auth || auth.authToken !== bearer(req)) return problem(401, 'Unauthorized')
      return { status: 200, body: { startDate: at.toISOString(), authenticationMethod: 'Token', authenticationMethodInfo: { category: 'Token', code: 'token.ksef', displayName: 'Token KSeF' }, status: { code: auth.code, description: auth.description } } }
    }
    if (method === 'POST' && path === '/auth/token/redeem') {
      const auth = [...auths.values()].find((a) => a.authToken === bearer(req))
      if (!auth || auth.code !== 200) return problem(401, 'Unauthorized')
      if (auth.redeemed) return exception(400, 21301, 'Tokeny zostały już pobrane')
      auth.redeemed = true
      const access = token()
      const refresh = token()
      accessTokens.set(access, { nip: auth.nip, validUntil: at.getTime() + 15 * 60_000 })
      refreshTokens.set(refresh, auth.nip)
      return { status: 200, body: { accessToken: { token: access, validUntil: new Date(at.getTime() + 15 * 60_000).toISOString() }, refreshToken: { token: refresh, validUntil: new Date(at.getTime() + 7 * 86_400_000).toISOString() } } }
    }
    if (method === 'POST' && path === '/auth/token/refresh') {
      const nip = refreshTokens.get(bearer(req))
      if (!nip) return problem(401, 'Unauthorized')
      const access = token()
      accessTokens.set(access, { nip, validUntil: at.getTime() + 15 * 60_000 })
      return { status: 200, body: { accessToken: { token: access, validUntil: new Date(at.getTime() + 15 * 60_000).toISOString() } } }
    }
    // Everything below needs an access token.
    const access = accessOf(req)
    if (!access) return problem(401, 'Unauthorized', 'a valid access token is required')
    if (method === 'POST' && path === '/sessions/online') {
      const form = body.formCode ?? {}
      if (form.systemCode !== 'FA (3)' || form.schemaVersion !== '1-0E' || form.value !== 'FA') return exception(400, 21405, 'Nieprawidłowy kod formularza', [JSON.stringify(form)])
      let key: Buffer
      const iv = Buffer.from(String(body.encryption?.initializationVector ?? ''), 'base64')
      try {
        key = unwrap(String(body.encryption?.encryptedSymmetricKey ?? ''))
      } catch {
        return exception(400, 21405, 'Błąd odszyfrowania klucza symetrycznego')
      }
      if (key.length !== 32 || iv.length !== 16) return exception(400, 21405, 'Klucz musi mieć 32 bajty, wektor 16')
      const ref = reference('SO', at)
      sessions.set(ref, { ref, nip: access.nip, key, iv, open: true, count: 0 })
      return { status: 201, body: { referenceNumber: ref, validUntil: new Date(at.getTime() + 12 * 3_600_000).toISOString() } }
    }
    if ((m = /^\/sessions\/online\/([^/]+)\/invoices$/.exec(path)) && method === 'POST') {
      const session = sessions.get(decodeURIComponent(m[1]!))
      if (!session || session.nip !== access.nip) return exception(400, 21405, 'Sesja nie istnieje')
      if (!session.open) return exception(400, 21180, 'Sesja jest zamknięta')
      const encrypted = Buffer.from(String(body.encryptedInvoiceContent ?? ''), 'base64')
      const missing = ['invoiceHash', 'invoiceSize', 'encryptedInvoiceHash', 'encryptedInvoiceSize', 'encryptedInvoiceContent'].filter((k) => body[k] === undefined)
      if (missing.length > 0) return exception(400, 21405, 'Błąd walidacji danych wejściowych', missing.map((k) => `${k} is required`))
      if (sha256(encrypted) !== body.encryptedInvoiceHash || encrypted.length !== body.encryptedInvoiceSize) {
        return exception(400, 21405, 'Błąd walidacji danych wejściowych', ['encryptedInvoiceHash or encryptedInvoiceSize does not match encryptedInvoiceContent'])
      }
      const inv: Invoice = { ref: reference('EE', at), session: session.ref, ordinal: ++session.count, hash: String(body.invoiceHash), fileName: null, code: 150, description: 'Trwa przetwarzanie', details: [], extensions: null, ksefNumber: null, acquisitionDate: null, invoiceNumber: null, issueDate: null, pollsLeft: state.processingPolls }
      invoices.set(inv.ref, inv)
      await checkInvoice(session, inv, body)
      return { status: 202, body: { referenceNumber: inv.ref } }
    }
    if ((m = /^\/sessions\/online\/([^/]+)\/close$/.exec(path)) && method === 'POST') {
      const session = sessions.get(decodeURIComponent(m[1]!))
      if (!session || session.nip !== access.nip) return exception(400, 21405, 'Sesja nie istnieje')
      session.open = false
      return { status: 204 }
    }
    if ((m = /^\/sessions\/([^/]+)\/invoices\/ksef\/([^/]+)\/upo$/.exec(path)) && method === 'GET') {
      const number = decodeURIComponent(m[2]!)
      const inv = [...invoices.values()].find((i) => i.ksefNumber === number && i.session === decodeURIComponent(m![1]!) && i.code === 200)
      if (!inv || sessions.get(inv.session)?.nip !== access.nip) return exception(400, 21405, 'Nie znaleziono UPO')
      return { status: 200, xml: upoOf(inv, access.nip) }
    }
    if ((m = /^\/sessions\/([^/]+)\/invoices\/([^/]+)$/.exec(path)) && method === 'GET') {
      const inv = invoices.get(decodeURIComponent(m[2]!))
      if (!inv || inv.session !== decodeURIComponent(m[1]!) || sessions.get(inv.session)?.nip !== access.nip) return exception(400, 21405, 'Faktura nie istnieje')
      const decided = inv.pollsLeft-- <= 0
      const status = decided ? { code: inv.code, description: inv.description, details: inv.details, extensions: inv.extensions } : { code: 150, description: 'Trwa przetwarzanie' }
      const done = decided && inv.code === 200
      return {
        status: 200,
        body: {
          ordinalNumber: inv.ordinal,
          referenceNumber: inv.ref,
          invoiceHash: inv.hash,
          invoicingDate: at.toISOString(),
          ...(done ? { ksefNumber: inv.ksefNumber, invoiceNumber: inv.invoiceNumber, acquisitionDate: inv.acquisitionDate } : {}),
          status,
        },
      }
    }
    return problem(404, 'Not Found', `${method} ${path} is not part of the fake KSeF`)
  }

  const held = new Set<ServerResponse>()
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const url = new URL(req.url ?? '/', 'http://fake')
    const path = url.pathname.replace(/^\/v2/, '')
    state.requests.push(`${req.method} ${path}`)
    held.add(res)
    res.on('close', () => held.delete(res))
    if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs))
    if (res.destroyed) return
    let answer: Answer
    if (state.down) answer = { status: 503, body: { title: 'Service Unavailable', status: 503 } }
    else {
      let body: Json = {}
      try {
        body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json) : {}
      } catch {
        answer = exception(400, 21405, 'Nieprawidłowy JSON')
      }
      answer ??= await route(req.method ?? 'GET', path, req, body).catch((e: Error) => ({ status: 500, body: { title: e.message, status: 500 } }))
    }
    if (answer.xml !== undefined) res.writeHead(answer.status, { 'Content-Type': 'application/xml' }).end(answer.xml)
    else if (answer.body === undefined) res.writeHead(answer.status).end()
    else res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body))
  })
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r))
  // It never keeps a process alive by itself (a script, a test run): whoever started it does.
  server.unref()
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v2`,
    state,
    /** Keeps the process alive while it runs (the standalone script). */
    keepAlive: () => void server.ref(),
    /** Invoices by KSeF reference, as the fake decided them. */
    invoices,
    close: () =>
      new Promise<void>((r) => {
        for (const res of held) res.destroy()
        server.close(() => r())
      }),
  }
}

export type FakeKsef = Awaited<ReturnType<typeof startFakeKsef>>
