// Number and table formatting the bench's reports share (bench/report.ts, bench/report-ecodes.ts).
import type { LoadResult } from './load'

export const ms = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)) : '–')
export const int = (v: number) => Math.round(v).toLocaleString('en-US')

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

export function statuses(r: LoadResult): string {
  const parts = Object.entries(r.statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => `${int(n)}×${code}`)
  if (r.errors) parts.push(`${int(r.errors)} errors`)
  if (r.timeouts) parts.push(`${int(r.timeouts)} timeouts`)
  return parts.join(', ') || 'none'
}

export function table(headers: string[], rows: string[][], align: ('l' | 'r')[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)]
}

export const yes = (met: boolean) => (met ? '**met**' : '**not met**')
export const mib = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '?' : `${v.toFixed(0)} MiB`)

export function mdTable(headers: string[], rows: string[][], align: ('l' | 'r')[]): string {
  const sep = align.map((a) => (a === 'r' ? '---:' : '---'))
  return [headers, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')
}

export function sqlCell(sql: string, max = 160): string {
  return `\`${sql.length > max ? `${sql.slice(0, max - 3)}…` : sql}\``.replace(/\|/g, '\\|')
}
