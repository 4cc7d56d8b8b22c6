import { describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import { testApp, textOf } from '../helpers/app'

const t = await testApp()

describe('error pages', () => {
  it('turns an unexpected failure into a friendly 500 page that shows the request id', async () => {
    const broken = createApp({
      ...t.deps,
      db: new Proxy(t.deps.db, {
        get(target, prop) {
          if (prop === 'select') throw new Error('database is on fire')
          return Reflect.get(target, prop)
        },
      }),
    })
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    const res = await broken.request('http://localhost/login', { headers: { Cookie: 'kontor_session=whatever' } })
    spy.mockRestore()
    expect(res.status).toBe(500)
    const id = res.headers.get('X-Request-Id')!
    expect(id).toBeTruthy()
    const text = textOf(await res.text())
    expect(text).toContain('Something went wrong')
    expect(text).toContain(id)
    expect(text).not.toContain('database is on fire')
  })

  it('answers 404 with the page in the visitor language', async () => {
    const res = await t.browser().get('/nothing-here', { 'Accept-Language': 'pl' })
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('<html lang="pl">')
  })
})
