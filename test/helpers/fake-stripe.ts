// A local stand-in for the parts of Stripe's API the adapter uses (Checkout Sessions, PaymentIntents,
// their search, detaching PaymentMethods) and for Stripe's side of webhooks. It parses the real form-encoded requests
// (`line_items[0][price_data][currency]=pln`), checks the secret key, answers a repeated
// Idempotency-Key with the first response, records what it was asked, and signs events exactly as
// Stripe does (HMAC-SHA256 of "<t>.<payload>", computed here, not with the SDK under test).
import { createHmac, randomInt } from 'node:crypto'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

// Stripe's objects are open-ended JSON; the fake builds and reads them loosely on purpose.
type Obj = Record<string, any>

export type FakeStripeRequest = {
  method: string
  path: string
  params: Obj
  idempotencyKey: string | undefined
  authorization: string | undefined
  /** Answered from the idempotency store rather than processed again. */
  replayed: boolean
}

export type SignedEvent = { event: Obj; payload: string; header: string }
type Hang = { method: string; path: string; times: number }

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
function id(prefix: string, length = 24): string {
  return prefix + Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')
}

/** Stripe's bracket notation (`a[b][0]=x`) back into objects; objects keyed 0..n become arrays. */
export function parseStripeForm(raw: string): Obj {
  const root: Obj = {}
  for (const [key, value] of new URLSearchParams(raw)) {
    const path = key.replace(/\]/g, '').split('[')
    let at = root
    path.forEach((segment, i) => {
      if (i === path.length - 1) at[segment] = value
      else at = at[segment] ??= {}
    })
  }
  const arrays = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v
    const entries = Object.entries(v).map(([k, x]) => [k, arrays(x)] as const)
    const indexed = entries.length > 0 && entries.every(([k], i) => k === String(i))
    return indexed ? entries.map(([, x]) => x) : Object.fromEntries(entries)
  }
  return arrays(root) as Obj
}

export async function startFakeStripe(opts: { secretKey: string; webhookSecret: string; now?: () => Date }) {
  const now = opts.now ?? (() => new Date())
  const seconds = (at?: Date) => Math.floor((at ?? now()).getTime() / 1000)
  const requests: FakeStripeRequest[] = []
  const sessions = new Map<string, Obj>()
  const intents = new Map<string, Obj>()
  const methods = new Map<string, Obj>()
  const customers = new Map<string, Obj>()
  const declining = new Map<string, string>()
  /** payment_intent_data of each session, for the PaymentIntent it creates when paid. */
  const intentData = new Map<string, Obj>()
  const answered = new Map<string, { raw: string; status: number; body: string }>()
  const hangs: Hang[] = []
  const failures: Hang[] = []
  const held = new Set<ServerResponse>()

  const error = (status: number, type: string, message: string, extra: Obj = {}) => ({ status, body: { error: { type, message, ...extra } } })
  // A missing object named in the URL is a 404; named in a parameter, a 400 (as Stripe answers).
  const missing = (what: string, value: string, param: string, status = 400) => error(status, 'invalid_request_error', `No such ${what}: '${value}'`, { code: 'resource_missing', param })

  function newCustomer(email: string | null): Obj {
    const customer = { id: id('cus_', 14), object: 'customer', email, created: seconds(), livemode: false, metadata: {} }
    customers.set(customer.id, customer)
    return customer
  }

  function newMethod(type: 'card' | 'paypal', customer: string | null): Obj {
    const details =
      type === 'card'
        ? { card: { brand: 'visa', display_brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, country: 'PL', funding: 'credit' } }
        : { paypal: { payer_email: 'buyer@example.com', payer_id: 'PAYERID123', country: 'PL' } }
    const method = { id: id('pm_'), object: 'payment_method', type, ...details, customer, billing_details: { email: null, name: null }, created: seconds(), livemode: false, metadata: {} }
    methods.set(method.id, method)
    return method
  }

  function createSession(p: Obj) {
    if (p.mode !== 'payment') return error(400, 'invalid_request_error', 'This fake supports mode=payment only.', { param: 'mode' })
    const line = p.line_items?.[0]
    const unitAmount = Number(line?.price_data?.unit_amount)
    if (!line?.price_data?.currency || !Number.isInteger(unitAmount)) return error(400, 'invalid_request_error', 'Missing required param: line_items[0][price_data].', { code: 'parameter_missing' })
    if (p.customer && p.customer_creation) return error(400, 'invalid_request_error', '`customer_creation` can only be used when `customer` is not set.', { param: 'customer_creation' })
    const session: Obj = {
      id: id('cs_test_', 58),
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_subtotal: unitAmount * Number(line.quantity ?? 1),
      amount_total: unitAmount * Number(line.quantity ?? 1),
      currency: line.price_data.currency,
      allowed_payment_method_types: p.allowed_payment_method_types ?? null,
      payment_method_types: p.allowed_payment_method_types ?? ['card'],
      client_reference_id: p.client_reference_id ?? null,
      customer: p.customer ?? null,
      customer_creation: p.customer_creation ?? null,
      customer_email: p.customer_email ?? null,
      metadata: p.metadata ?? {},
      locale: p.locale ?? null,
      payment_intent: null,
      success_url: p.success_url,
      cancel_url: p.cancel_url ?? null,
      created: seconds(),
      expires_at: seconds() + 86400,
      livemode: false,
    }
    session.url = `https://checkout.stripe.com/c/pay/${session.id}`
    sessions.set(session.id, session)
    intentData.set(session.id, p.payment_intent_data ?? {})
    return { status: 200, body: session }
  }

  function newIntent(p: Obj, status: string, lastError: Obj | null): Obj {
    const intent = {
      id: id('pi_'),
      object: 'payment_intent',
      amount: Number(p.amount),
      amount_received: status === 'succeeded' ? Number(p.amount) : 0,
      currency: p.currency,
      customer: p.customer ?? null,
      payment_method: p.payment_method ?? null,
      payment_method_types: [methods.get(p.payment_method)?.type ?? 'card'],
      setup_future_usage: p.setup_future_usage ?? null,
      description: p.description ?? null,
      metadata: p.metadata ?? {},
      status,
      last_payment_error: lastError,
      latest_charge: status === 'succeeded' ? id('ch_') : null,
      created: seconds(),
      livemode: false,
    }
    intents.set(intent.id, intent)
    return intent
  }

  /** An off-session charge of a saved method, confirmed at once. */
  function createIntent(p: Obj) {
    if (!Number.isInteger(Number(p.amount)) || !p.currency) return error(400, 'invalid_request_error', 'Missing required param: amount.', { code: 'parameter_missing' })
    const method = methods.get(p.payment_method)
    if (!method) return missing('PaymentMethod', p.payment_method, 'payment_method')
    if (!customers.has(p.customer)) return missing('customer', p.customer, 'customer')
    if (method.customer !== p.customer) return error(400, 'invalid_request_error', 'The provided PaymentMethod does not belong to the Customer.', { param: 'payment_method' })
    if (p.confirm !== 'true' || p.off_session !== 'true') return error(400, 'invalid_request_error', 'This fake only confirms off-session charges.')
    const code = declining.get(method.id)
    if (!code) return { status: 200, body: newIntent(p, 'succeeded', null) }
    const details = { type: 'card_error', code, decline_code: 'generic_decline', message: 'Your card was declined.', payment_method: method }
    const intent = newIntent(p, 'requires_payment_method', details)
    return error(402, 'card_error', details.message, { code, decline_code: 'generic_decline', payment_intent: intent, payment_method: method })
  }

  function expanded(intent: Obj, expand: string[] = []): Obj {
    const out = { ...intent }
    if (expand.includes('payment_method') && out.payment_method) out.payment_method = methods.get(out.payment_method)
    if (expand.includes('customer') && out.customer) out.customer = customers.get(out.customer)
    return out
  }

  /** Stripe's search language, as far as metadata['key']:'value' clauses joined by AND go. */
  function searchIntents(query: string) {
    const clauses = query.split(/\s+AND\s+/).map((c) => /^metadata\['([^']+)'\]:'((?:[^'\\]|\\.)*)'$/.exec(c.trim()))
    if (clauses.some((c) => !c)) return error(400, 'invalid_request_error', `This fake can't parse the query: ${query}`)
    const data = [...intents.values()].filter((i) => clauses.every((c) => i.metadata[c![1]!] === c![2]!.replace(/\\(.)/g, '$1')))
    return { status: 200, body: { object: 'search_result', data, has_more: false, next_page: null, url: '/v1/payment_intents/search' } }
  }

  /** Stripe answers a method that is not attached with a 400 (and an unknown one with a 404). */
  function detach(methodId: string) {
    const method = methods.get(methodId)
    if (!method) return missing('payment_method', methodId, 'payment_method', 404)
    if (!method.customer) return error(400, 'invalid_request_error', 'The payment method you provided is not attached to a customer so detachment is impossible.')
    method.customer = null
    return { status: 200, body: method }
  }

  function route(method: string, path: string, p: Obj): { status: number; body: Obj } {
    if (method === 'POST' && path === '/v1/checkout/sessions') return createSession(p)
    if (method === 'POST' && path === '/v1/payment_intents') return createIntent(p)
    if (method === 'GET' && path === '/v1/payment_intents/search') return searchIntents(String(p.query ?? ''))
    const detaching = /^\/v1\/payment_methods\/([^/]+)\/detach$/.exec(path)
    if (method === 'POST' && detaching) return detach(detaching[1]!)
    const session = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path)
    if (method === 'GET' && session) return sessions.has(session[1]!) ? { status: 200, body: sessions.get(session[1]!)! } : missing('checkout.session', session[1]!, 'session', 404)
    const intent = /^\/v1\/payment_intents\/([^/]+)$/.exec(path)
    if (method === 'GET' && intent) return intents.has(intent[1]!) ? { status: 200, body: expanded(intents.get(intent[1]!)!, p.expand) } : missing('payment_intent', intent[1]!, 'intent', 404)
    return error(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`)
  }

  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk) => (raw += chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const method = req.method ?? 'GET'
      const form = method === 'GET' ? url.search.slice(1) : raw
      const key = req.headers['idempotency-key'] as string | undefined
      const previous = key ? answered.get(key) : undefined
      requests.push({ method, path: url.pathname, params: parseStripeForm(form), idempotencyKey: key, authorization: req.headers.authorization, replayed: previous !== undefined })
      let answer: { status: number; body: string; headers?: Record<string, string> }
      if (req.headers.authorization !== `Bearer ${opts.secretKey}`) {
        const e = error(401, 'invalid_request_error', 'Invalid API Key provided.')
        answer = { status: e.status, body: JSON.stringify(e.body) }
      } else if (failures.some((f) => f.method === method && f.path === url.pathname && f.times-- > 0)) {
        const e = error(500, 'api_error', 'Something went wrong on Stripe’s end (fake).')
        answer = { status: e.status, body: JSON.stringify(e.body) }
      } else if (previous && previous.raw !== form) {
        const e = error(400, 'idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with.`)
        answer = { status: e.status, body: JSON.stringify(e.body) }
      } else if (previous) {
        answer = { status: previous.status, body: previous.body, headers: { 'Idempotent-Replayed': 'true' } }
      } else {
        const r = route(method, url.pathname, parseStripeForm(form))
        answer = { status: r.status, body: JSON.stringify(r.body) }
        if (key && method === 'POST') answered.set(key, { raw: form, status: r.status, body: answer.body })
      }
      // A hang happens after the work is done: the charge exists, only the answer is lost.
      const hang = hangs.find((h) => h.method === method && h.path === url.pathname && h.times > 0)
      if (hang) {
        hang.times--
        held.add(res)
        return
      }
      res.writeHead(answer.status, { 'Content-Type': 'application/json', 'Request-Id': id('req_', 14), ...answer.headers }).end(answer.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  function sign(payload: string, at?: Date, secret = opts.webhookSecret): string {
    const t = seconds(at)
    return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex')}`
  }

  /** An event as Stripe delivers it: the JSON body and its Stripe-Signature header. */
  function event(type: string, object: Obj, o: { at?: Date } = {}): SignedEvent {
    const e = {
      id: id('evt_'),
      object: 'event',
      api_version: '2026-10-28.endive',
      created: seconds(o.at),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    }
    const payload = JSON.stringify(e, null, 2)
    return { event: e, payload, header: sign(payload, o.at) }
  }

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sessions,
    intents,
    methods,
    sign,
    event,
    /** The buyer pays on the hosted page: customer, method (saved if asked for) and PaymentIntent appear. */
    completeSession(sessionId: string, o: { method: 'card' | 'paypal'; at?: Date }): SignedEvent {
      const session = sessions.get(sessionId)
      if (!session || session.status !== 'open') throw new Error(`no open session ${sessionId}`)
      const data = intentData.get(sessionId)!
      const customer = session.customer ?? newCustomer(session.customer_email).id
      const pm = newMethod(o.method, data.setup_future_usage ? customer : null)
      const intent = newIntent({ ...data, amount: session.amount_total, currency: session.currency, customer, payment_method: pm.id }, 'succeeded', null)
      Object.assign(session, { status: 'complete', payment_status: 'paid', customer, payment_intent: intent.id })
      return event('checkout.session.completed', session, o)
    },
    expireSession(sessionId: string, o: { at?: Date } = {}): SignedEvent {
      const session = sessions.get(sessionId)!
      Object.assign(session, { status: 'expired', url: null })
      return event('checkout.session.expired', session, o)
    },
    /** A customer with a card saved for off-session use (as a finished Checkout would leave it). */
    savedCard(): { customer: string; paymentMethod: string } {
      const customer = newCustomer('buyer@example.com').id
      return { customer, paymentMethod: newMethod('card', customer).id }
    },
    /** Off-session charges of this method fail as a card decline (HTTP 402). */
    decline(paymentMethod: string, code = 'card_declined') {
      declining.set(paymentMethod, code)
    },
    /** The next `times` requests to this endpoint are processed but never answered. */
    hang(method: string, path: string, times = 1) {
      hangs.push({ method, path, times })
    },
    /** The next `times` requests to this endpoint get a 500 (the client retries those). */
    fail(method: string, path: string, times = 1) {
      failures.push({ method, path, times })
    },
    close: async () => {
      for (const res of held) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>
