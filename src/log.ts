// One structured log line per request and per job run (docs/operations.md, "Logs"). On Workers the
// line is logged as an object, whose fields Workers Logs extracts and indexes ([observability] in
// wrangler.toml); on Node it is printed as one line of JSON on stdout.
import type { Deps } from './deps'

export type LogLine = { type: 'request' | 'job'; level?: 'error' } & Record<string, unknown>
export type Logger = (line: LogLine) => void

const onWorkers = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers'

type Stream = { write(text: string): unknown }
const nodeStreams = (globalThis as { process?: { stdout?: Stream; stderr?: Stream } }).process

export const consoleLogger: Logger = (line) => {
  const error = line.level === 'error'
  if (onWorkers || !nodeStreams?.stdout) return (error ? console.error : console.log)(onWorkers ? line : JSON.stringify(line))
  // Straight to the stream: console.log formats its arguments and checks for colours first, a few
  // percent of a page's CPU for a line that is already text.
  ;(error ? nodeStreams.stderr! : nodeStreams.stdout).write(`${JSON.stringify(line)}\n`)
}

/** deps.log when given (tests that read the lines), else the console — except under KONTOR_ENV=test, which stays quiet. */
export function loggerOf(deps: Deps): Logger {
  return deps.log ?? (deps.config.environment === 'test' ? () => {} : consoleLogger)
}

/**
 * A thrown value as text for a log line or a run's record: the stack when there is one, and the
 * causes under it (drizzle wraps the database's own message, "no such table: …", as the cause).
 */
export function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e)
  const text = e.stack ?? e.message
  return e.cause === undefined ? text : `${text}\nCaused by: ${errorText(e.cause)}`
}
