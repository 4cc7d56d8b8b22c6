// Counts what a libSQL client is asked to do: statements, round trips (an execute, a batch) and the
// longest chain of round trips that had to wait for
// one another. Over HTTP to Turso every round trip is a network trip, so a page's chain length is
// what its visitor waits for; tests hold each page to a budget (test/routes/round-trips.test.ts)
// and each request's log line reports its own counts (src/app.tsx, through countRequest).
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Client, InStatement } from '@libsql/client'

export type DbCounts = { statements: number; roundTrips: number; chain: number }

export class DbCounter {
  statements = 0
  roundTrips = 0
  /** Depth of the longest chain of round trips, each issued after the one before it answered. */
  chain = 0
  /** Depth of the deepest round trip that has answered: a round trip issued now waits behind it. */
  #answered = 0
  readonly log: string[] = []

  reset(): void {
    this.statements = this.roundTrips = this.chain = this.#answered = 0
    this.log.length = 0
  }

  snapshot(): DbCounts {
    return { statements: this.statements, roundTrips: this.roundTrips, chain: this.chain }
  }

  /** Wraps one round trip of `n` statements. */
  async track<T>(sql: string[], run: () => Promise<T>): Promise<T> {
    const depth = this.#answered + 1
    this.statements += sql.length
    this.roundTrips++
    this.chain = Math.max(this.chain, depth)
    this.log.push(sql.length === 1 ? sql[0]! : `batch(${sql.length}): ${sql.join(' ; ')}`)
    try {
      return await run()
    } finally {
      this.#answered = Math.max(this.#answered, depth)
    }
  }
}

const sqlOf = (s: InStatement) => (typeof s === 'string' ? s : s.sql)

/** The counter of the request being served, if any (every client databaseFrom builds counts into it). */
const perRequest = new AsyncLocalStorage<DbCounter>()

/** Runs `work` (a request) with a counter of its own, which its database calls count into. */
export function countRequest<T>(counter: DbCounter, work: () => T): T {
  return perRequest.run(counter, work)
}

/** Counts into `fixed` (a test's) and into the current request's counter, whichever there are. */
class Counters {
  constructor(private fixed: DbCounter | undefined) {}
  track<T>(sql: string[], run: () => Promise<T>): Promise<T> {
    const current = perRequest.getStore()
    const inner = current ? () => current.track(sql, run) : run
    return this.fixed ? this.fixed.track(sql, inner) : inner()
  }
}

/** The client, counting into `fixed` if given and into each request's own counter; everything else behaves as before. */
export function countingClient(client: Client, fixed?: DbCounter): Client {
  const counter = new Counters(fixed)
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'execute') return (s: InStatement, args?: never) => counter.track([sqlOf(s)], () => target.execute(s as never, args))
      if (prop === 'batch') return (ss: InStatement[], mode?: never) => counter.track(ss.map(sqlOf), () => target.batch(ss, mode))
      const value = Reflect.get(target, prop, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
