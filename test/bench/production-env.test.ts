// The bench runs Kontor as a customer's production would: its settings must pass production's
// refusals (src/config.ts) on Node and on a Worker, or the bench measures a 503 page.
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import { PRODUCTION_ENV, workerVars } from '../../bench/production-env'

describe("the bench's production settings", () => {
  it('start the Node server and the Worker in production', () => {
    expect(loadConfig(PRODUCTION_ENV, { kind: 'node', host: '127.0.0.1', port: 8080 }).environment).toBe('production')
    const worker = workerVars({ databaseUrl: 'http://127.0.0.1:8081', resendBaseUrl: 'http://127.0.0.1:9' })
    expect(loadConfig(worker, { kind: 'worker' })).toMatchObject({ environment: 'production', secureCookies: true })
  })
})
