// The one place the app reads the time (CONVENTIONS: time is an input). Entry points pass a Clock;
// tests and `--now` use a fixed or settable one.
export type Clock = { now(): Date }

export const systemClock: Clock = { now: () => new Date() }

/** A clock that stands still until told otherwise; for tests and simulated time. */
export class ManualClock implements Clock {
  #at: number
  constructor(at: Date | string) {
    this.#at = new Date(at).getTime()
  }
  now(): Date {
    return new Date(this.#at)
  }
  set(at: Date | string): void {
    this.#at = new Date(at).getTime()
  }
  advance(ms: number): void {
    this.#at += ms
  }
}

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
