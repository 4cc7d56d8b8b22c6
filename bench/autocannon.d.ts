// The small part of autocannon 9's programmatic API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  export type RawRequest = {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string | Buffer
    [key: string]: unknown
  }

  export type RequestSpec = RawRequest & {
    setupRequest?: (request: RawRequest, context: Record<string, unknown>) => RawRequest | null | undefined
    onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void
  }

  export type Options = {
    url: string
    connections?: number
    duration?: number
    amount?: number
    pipelining?: number
    timeout?: number
    method?: string
    headers?: Record<string, string>
    body?: string
    requests?: RequestSpec[]
    excludeErrorStats?: boolean
  }

  export type Histogram = { average: number; mean: number; stddev: number; min: number; max: number; p50: number; p99: number; total: number }

  export type Result = {
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    statusCodeStats: Record<string, { count: number }>
    latency: Histogram
    requests: Histogram & { sent: number }
    throughput: Histogram
  }

  export type Instance = EventEmitter & { stop(): void }

  type Autocannon = {
    (opts: Options, cb: (err: Error | null, result: Result) => void): Instance
  }

  const autocannon: Autocannon
  export default autocannon
}
