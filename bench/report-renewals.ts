// The renewals benchmark's part of the report (bench/renewals.ts): a line per run on the console, a
// table in docs/performance.md.
import type { RenewalsReport } from './renewals'
import { int, ms } from './format'

const perItem = (total: number, items: number) => (total / items).toFixed(2)
const counted = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${int(n)}`)
    .join(', ') || '—'

export function renewalsConsole(r: RenewalsReport): string[] {
  return r.runs.map((run) => `Renewals job, ${run.label}: ${ms(run.wallMs)} ms wall, ${ms(run.cpuMs)} ms CPU (${perItem(run.cpuMs, run.items)} ms CPU per subscription); ${counted(run.counts)}`)
}

export function renewalsMarkdown(r: RenewalsReport): string {
  const rows = r.runs.map((run) => `| ${run.label} | ${int(Math.round(run.wallMs))} | ${int(Math.round(run.cpuMs))} | ${perItem(run.cpuMs, run.items)} | ${counted(run.counts)} |`)
  return `## Renewals and lapses (issue 7)

The daily \`renewals\` job in the benchmark's process, on its own temporary database with the demo catalog
and ${int(r.subscribers)} Sekretariat subscriptions per run (\`bench/renewals.ts\`, no time budget): a day on which
all of them are charged by card through the test provider (order, attempt, charge, fulfilment, invoice,
payment e-mail), the same job again when nothing is due, and a day on which as many unpaid periods lapse
to read-only (a mail to each administrator). The per-subscription CPU time is what sets the job's time
budget: a run stops after 20 s of work and the next tick continues it.

| run | wall (ms) | CPU (ms) | CPU per subscription (ms) | counts |
| --- | ---: | ---: | ---: | --- |
${rows.join('\n')}
`
}
