// Throttles behind a proxy (issue 15, item 5): the client's address is the X-Forwarded-For entry the
// nearest trusted proxy appended — TRUSTED_PROXIES from the right — never the leftmost, which the
// client writes itself; so a new made-up address per attempt throttles nothing away. A Worker reads
// only CF-Connecting-IP, which Cloudflare sets.
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import { testApp } from '../helpers/app'
import { createUser } from '../helpers/users'
import { PRODUCTION_ENV } from '../helpers/production-env'

const XFF = 'x-forwarded-for'

describe('the client address behind proxies', () => {
  it('throttles sign-ins from one client whatever it writes at the left of X-Forwarded-For (one trusted proxy)', async () => {
    const t = await testApp({ config: { clientIpHeader: XFF, trustedProxies: 1 } })
    await createUser(t.deps, { email: 'proxied@example.com' })
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) {
      const res = await t.browser().post('/login', { email: 'proxied@example.com', password: 'wrong password here' }, { [XFF]: `10.9.${i}.1, 203.0.113.7` })
      statuses.push(res.status)
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    expect(statuses.slice(5)).toEqual(Array(7).fill(429))
    // Another client behind the same proxy is not affected.
    const other = await t.browser().post('/login', { email: 'proxied@example.com', password: 'wrong password here' }, { [XFF]: '203.0.113.8' })
    expect(other.status).toBe(401)
  })

  it('throttles e-code guesses the same way: 15 guesses with a new leftmost address each, 10 looked up', async () => {
    const t = await testApp({ config: { clientIpHeader: XFF, trustedProxies: 1 } })
    const statuses: number[] = []
    for (let i = 0; i < 15; i++) statuses.push((await t.browser().get(`/r/${String(i).padStart(16, 'X')}`, { [XFF]: `10.8.${i}.1, 198.51.100.9` })).status)
    expect(statuses.filter((s) => s === 404)).toHaveLength(10)
    expect(statuses.filter((s) => s === 429)).toHaveLength(5)
  })

  it('takes the entry two from the right behind two proxies, and counts a header too short for them as the socket', async () => {
    const t = await testApp({ config: { clientIpHeader: XFF, trustedProxies: 2 } })
    for (let i = 0; i < 10; i++) expect((await t.browser().get(`/r/${String(i).padStart(16, 'Y')}`, { [XFF]: `made-up-${i}, 198.51.100.20, 10.0.0.2` })).status).toBe(404)
    expect((await t.browser().get('/r/YYYYYYYYYYYYYYYY', { [XFF]: 'anything, 198.51.100.20, 10.0.0.3' })).status).toBe(429)
    // One entry where two proxies should have written: not trusted, all such requests share one count.
    for (let i = 0; i < 10; i++) expect((await t.browser().get(`/r/${String(i).padStart(16, 'Z')}`, { [XFF]: `10.1.${i}.1` })).status).toBe(404)
    expect((await t.browser().get('/r/ZZZZZZZZZZZZZZZZ', { [XFF]: '10.1.99.1' })).status).toBe(429)
  })

  it('reads CF-Connecting-IP on a Worker, whatever CLIENT_IP_HEADER says; TRUSTED_PROXIES must be a small number', () => {
    const production = { ...PRODUCTION_ENV, TURSO_DATABASE_URL: 'libsql://x.turso.io', TURSO_AUTH_TOKEN: 't' }
    expect(loadConfig({ ...production, CLIENT_IP_HEADER: 'x-forwarded-for' }, { kind: 'worker' }).clientIpHeader).toBe('cf-connecting-ip')
    expect(loadConfig({ CLIENT_IP_HEADER: 'X-Forwarded-For' }, { kind: 'script' })).toMatchObject({ clientIpHeader: 'x-forwarded-for', trustedProxies: 1 })
    expect(() => loadConfig({ TRUSTED_PROXIES: '0' }, { kind: 'script' })).toThrow('TRUSTED_PROXIES must be the number of proxies')
  })
})
