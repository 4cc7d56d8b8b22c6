// A local stand-in for Resend's HTTP API, recording what it receives: POST /emails (one mail) and
// POST /emails/batch (up to 100 mails without attachments; `x-batch-validation: permissive` sends the
// valid ones and answers the others' errors by index, strict refuses the whole batch). Like Resend it
// answers a repeated Idempotency-Key with the first answer and sends nothing again. It can be told
// to fail: with a 500, by dropping the connection before it sends anything ('network'), or after
// it has sent the mail (`answer_lost`: the caller can't know it was sent).
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One mail Resend accepted, with the key of the request that carried it (a batch's mails share it). */
export type ReceivedMail = { idempotencyKey: string | undefined; authorization: string | undefined; body: Record<string, unknown> }
/** Every request, repeated ones included. */
export type ReceivedRequest = { path: string; idempotencyKey: string | undefined; mails: number }

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/

/** Resend's own checks, the few the tests need: a plausible recipient address, a sender, a subject. */
function problem(mail: Record<string, unknown>): string | null {
  if (typeof mail.to !== 'string' || !ADDRESS.test(mail.to)) return 'Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.'
  if (!mail.from) return 'Missing `from` field.'
  if (!mail.subject) return 'Missing `subject` field.'
  return null
}

export async function startFakeResend() {
  const received: ReceivedMail[] = []
  const requests: ReceivedRequest[] = []
  const byKey = new Map<string, { status: number; body: unknown }>()
  const state = { failing: false as false | 'error' | 'network' | 'answer_lost' }
  let ids = 0

  const handle = (path: string, key: string | undefined, authorization: string | undefined, permissive: boolean, payload: unknown): { status: number; body: unknown } => {
    const fail = (status: number, name: string, message: string) => ({ status, body: { name, message, statusCode: status } })
    const accept = (mail: Record<string, unknown>) => {
      received.push({ idempotencyKey: key, authorization, body: mail })
      return { id: `fake-${++ids}` }
    }
    if (path === '/emails') {
      const mail = payload as Record<string, unknown>
      const refused = problem(mail)
      return refused ? fail(422, 'validation_error', refused) : { status: 200, body: accept(mail) }
    }
    const mails = payload as Record<string, unknown>[]
    if (!Array.isArray(mails) || mails.length === 0 || mails.length > 100) return fail(422, 'validation_error', 'A batch holds 1 to 100 emails.')
    if (mails.some((m) => m.attachments !== undefined)) return fail(422, 'validation_error', 'Attachments are not supported in batch sending.')
    const problems = mails.map(problem)
    if (!permissive && problems.some((p) => p !== null)) return fail(422, 'validation_error', problems.find((p) => p !== null)!)
    const data = mails.flatMap((m, i) => (problems[i] === null ? [accept(m)] : []))
    const errors = problems.flatMap((message, index) => (message === null ? [] : [{ index, message }]))
    return { status: 200, body: permissive ? { data, errors } : { data } }
  }

  const server: Server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk) => (raw += chunk))
    req.on('end', () => {
      if (state.failing === 'network') return req.socket.destroy()
      const path = req.url ?? ''
      const key = req.headers['idempotency-key'] as string | undefined
      const payload = raw ? JSON.parse(raw) : null
      requests.push({ path, idempotencyKey: key, mails: Array.isArray(payload) ? payload.length : 1 })
      const send = ({ status, body }: { status: number; body: unknown }) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
      if (req.method !== 'POST' || (path !== '/emails' && path !== '/emails/batch')) return send({ status: 404, body: { name: 'not_found', message: 'Not found', statusCode: 404 } })
      if (state.failing === 'error') return send({ status: 500, body: { name: 'internal_server_error', message: 'Resend is down (fake)', statusCode: 500 } })
      const previous = key ? byKey.get(`${path} ${key}`) : undefined
      if (previous) return send(previous)
      const answer = handle(path, key, req.headers.authorization, req.headers['x-batch-validation'] === 'permissive', payload)
      // Like Resend, only an accepted request is remembered under its key.
      if (key && answer.status === 200) byKey.set(`${path} ${key}`, answer)
      if (state.failing === 'answer_lost') return req.socket.destroy()
      send(answer)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    requests,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
