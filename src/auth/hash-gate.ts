// How many password hashes run at once in this process (a Worker: this isolate). A scrypt hash at
// production's cost takes ~300 ms of CPU and 64 MiB (src/auth/password.ts); a burst of sign-ins
// hashed all at once would take the server's memory and every core from everything else. So hashes
// take turns: a few run, a bounded number wait a bounded time, and the rest are refused at once with
// "try again in a few seconds" (429, `app.onError`) rather than queued for ever.

export type GateLimits = {
  /** Hashes running at once (Node's libuv thread pool has 4 threads by default). */
  concurrent: number
  /** Hashes waiting for a turn; one more is refused at once. */
  waiting: number
  /** How long a hash waits for a turn before it is refused. */
  waitMs: number
}

export const HASHING: GateLimits = { concurrent: 4, waiting: 64, waitMs: 5_000 }

/** Thrown when a hash can't have a turn: the request is answered 429 with `Retry-After`. */
export class HashingBusy extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('password hashing is busy')
    this.name = 'HashingBusy'
  }
}

type Waiter = { start: () => void; timer: ReturnType<typeof setTimeout> }

export class Gate {
  private running = 0
  private readonly queue: Waiter[] = []

  constructor(private readonly limits: GateLimits) {}

  /** Runs `work` when a turn is free; throws HashingBusy if none is within the limits. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.enter()
    try {
      return await work()
    } finally {
      this.leave()
    }
  }

  private enter(): Promise<void> {
    if (this.running < this.limits.concurrent) {
      this.running++
      return Promise.resolve()
    }
    const busy = new HashingBusy(Math.ceil(this.limits.waitMs / 1000))
    if (this.queue.length >= this.limits.waiting) return Promise.reject(busy)
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        start: resolve,
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(waiter), 1)
          reject(busy)
        }, this.limits.waitMs),
      }
      this.queue.push(waiter)
    })
  }

  private leave() {
    const next = this.queue.shift()
    if (!next) {
      this.running--
      return
    }
    // The turn passes straight to the next waiter: `running` stays as it is.
    clearTimeout(next.timer)
    next.start()
  }
}
