// The turns password hashes take (src/auth/hash-gate.ts), with small limits so waits are short.
import { describe, expect, it } from 'vitest'
import { Gate, HashingBusy } from '../../src/auth/hash-gate'

/** A piece of work that runs until the test ends it. */
function task(log: string[], name: string) {
  let end!: () => void
  const ended = new Promise<void>((resolve) => (end = resolve))
  return { work: async () => (log.push(`start ${name}`), await ended, log.push(`end ${name}`), name), end }
}

describe('the hashing gate', () => {
  it('runs as many at once as allowed, hands each freed turn to the longest waiting, and refuses one more than may wait at once', async () => {
    const gate = new Gate({ concurrent: 2, waiting: 2, waitMs: 10_000 })
    const log: string[] = []
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((n) => task(log, n))
    const runs = [a!, b!, c!, d!].map((x) => gate.run(x.work))
    const refused = gate.run(e!.work)
    await expect(refused).rejects.toEqual(new HashingBusy(10))
    await Promise.resolve()
    expect(log).toEqual(['start a', 'start b'])
    b!.end()
    await runs[1]
    expect(log).toEqual(['start a', 'start b', 'end b', 'start c'])
    a!.end()
    c!.end()
    d!.end()
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c', 'd'])
    expect(log.filter((l) => l.startsWith('start'))).toEqual(['start a', 'start b', 'start c', 'start d'])
  })

  it('refuses a hash that waited its longest without a turn, and frees its place', async () => {
    const gate = new Gate({ concurrent: 1, waiting: 1, waitMs: 30 })
    const log: string[] = []
    const [a, b, c] = ['a', 'b', 'c'].map((n) => task(log, n))
    const first = gate.run(a!.work)
    const startedWaiting = Date.now()
    await expect(gate.run(b!.work)).rejects.toBeInstanceOf(HashingBusy)
    expect(Date.now() - startedWaiting).toBeGreaterThanOrEqual(25)
    // Its place in the queue is free again, and the turn it never had goes to the next one.
    const third = gate.run(c!.work)
    a!.end()
    await first
    c!.end()
    expect(await third).toBe('c')
    expect(log).toEqual(['start a', 'end a', 'start c', 'end c'])
  })

  it('gives the turn back when the work fails', async () => {
    const gate = new Gate({ concurrent: 1, waiting: 0, waitMs: 10 })
    await expect(gate.run(() => Promise.reject(new Error('scrypt failed')))).rejects.toThrow('scrypt failed')
    expect(await gate.run(async () => 'next')).toBe('next')
  })
})
