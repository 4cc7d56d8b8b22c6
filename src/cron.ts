// Reads the Cron Trigger expressions from wrangler.toml, so the Node scheduler runs the jobs on
// exactly the schedule the Worker has.
import { readFileSync } from 'node:fs'
import { resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'smol-toml'

export const WRANGLER_TOML = resolve(dirname(fileURLToPath(import.meta.url)), '../wrangler.toml')

export function readCronExpressions(path = WRANGLER_TOML): string[] {
  const config = parse(readFileSync(path, 'utf8')) as { triggers?: { crons?: string[] } }
  return config.triggers?.crons ?? []
}
