// A local stand-in for Resend's HTTP API (POST /emails), recording what it receives. It can be
// told to fail, and like Resend it answers a repeated Idempotency-Key with the first result.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export type ReceivedMail = { idempotencyKey: string | undefined; authorization: string | undefined; body: Record<string, unknown> }

export async function startFakeResend() {
  const received: ReceivedMail[] = []
  const byKey = new Map<string, string>()
  const state = { failing: false as false | 'error' | 'network' }
  const server: Server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk) => (raw += chunk))
    req.on('end', () => {
      if (state.failing === 'network') return req.socket.destroy()
      if (req.method !== 'POST' || req.url !== '/emails') {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ name: 'not_found', message: 'Not found', statusCode: 404 }))
        return
      }
      if (state.failing === 'error') {
        res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ name: 'internal_server_error', message: 'Resend is down (fake)', statusCode: 500 }))
        return
      }
      const key = req.headers['idempotency-key'] as string | undefined
      const previous = key ? byKey.get(key) : undefined
      const id = previous ?? `fake-${received.length + 1}`
      if (!previous) {
        received.push({ idempotencyKey: key, authorization: req.headers.authorization, body: JSON.parse(raw) })
        if (key) byKey.set(key, id)
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
