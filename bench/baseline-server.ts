// The yardstick: a trivial Hono app on @hono/node-server, started like Kontor (tsx). Its req/s under
// the same load generator on the same machine in the same run says how fast "nothing" is here, so
// the pages' figures can be read as a share of it.
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono()
app.get('/', (c) => c.text('ok'))
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8081), hostname: process.env.HOST ?? '127.0.0.1' })
