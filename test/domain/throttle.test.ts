import { describe, expect, it } from 'vitest'
import { hit, peek } from '../../src/db/throttle'
import { testApp } from '../helpers/app'

const t = await testApp()
const rule = { bucket: 'test', limit: 3, windowMs: 60_000 }

describe('throttle counters in the database', () => {
  it('allows the limit in a window, refuses the next with the seconds left, and resets in the next window', async () => {
    const at = new Date('2026-11-02T09:00:15Z')
    const results = []
    for (let i = 0; i < 4; i++) results.push(await hit(t.db, rule, 'a', at))
    expect(results).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }, { allowed: false, retryAfterSeconds: 45 }])
    expect(await hit(t.db, rule, 'b', at)).toEqual({ allowed: true })
    expect(await hit(t.db, rule, 'a', new Date('2026-11-02T09:01:00Z'))).toEqual({ allowed: true })
  })

  it('peek says whether one more hit would pass, without counting', async () => {
    const at = new Date('2026-11-02T10:00:00Z')
    await hit(t.db, rule, 'p', at)
    await hit(t.db, rule, 'p', at)
    expect(await peek(t.db, rule, 'p', at)).toEqual({ allowed: true })
    expect(await peek(t.db, rule, 'p', at)).toEqual({ allowed: true })
    await hit(t.db, rule, 'p', at)
    expect(await peek(t.db, rule, 'p', at)).toMatchObject({ allowed: false })
  })

  it('counts exactly under concurrent hits', async () => {
    const at = new Date('2026-11-02T11:00:00Z')
    const results = await Promise.all(Array.from({ length: 20 }, () => hit(t.db, { ...rule, limit: 10 }, 'c', at)))
    expect(results.filter((r) => r.allowed)).toHaveLength(10)
  })
})
