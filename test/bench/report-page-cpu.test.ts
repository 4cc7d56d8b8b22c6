// The CPU-per-page section of docs/performance.md (bench/report-page-cpu.ts): each page judged on its
// own target (2 ms signed in, 1 ms for /login and /r/<code>), a page over it named, and the section
// replaced by `npm run bench -- --only pages` without touching the rest of the page.
import { describe, expect, it } from 'vitest'
import { overTarget, type PageCpuReport } from '../../bench/page-cpu'
import { PAGE_CPU_HEADING, pageCpuSection, withPageCpuSection } from '../../bench/report-page-cpu'
import { benchOptions } from '../../bench/cli'

const report = (rows: [string, number, number][]): PageCpuReport => ({
  rows: rows.map(([label, targetMs, cpuP50]) => ({ label, path: label === 'GET /r/<code>' ? '/r/K7QF3XMA9B4K2PZD' : `/${label}`, targetMs, cpuP50, p50: cpuP50 * 1.1 })),
  samples: 300,
  machine: { cpus: 2, cpuModel: 'test CPU', ramGiB: 1, node: 'v20', kernel: 'k', load: '0.10' },
  loadAtEnd: '0.20',
  date: new Date('2026-12-07T12:00:00Z'),
  seeded: 'a test',
})

describe('CPU per page', () => {
  it('holds each page to its own target: a public page at 1.2 ms is over, a signed-in one at 1.9 ms is not', () => {
    const r = report([['GET /login', 1, 0.3], ['GET /r/<code>', 1, 1.2], ['account', 2, 1.9], ['e-codes', 2, 2.01]])
    expect(overTarget(r)).toEqual(['GET /r/<code>', 'e-codes'])
    const text = pageCpuSection(r)
    expect(text).toContain('| account | `/account` | 1.90 | 2.09 | ≤ 2 ms | ✓ |')
    expect(text).toContain('| GET /r/<code> | `/r/<code>` | 1.20 | 1.32 | ≤ 1 ms | ✗ |')
    expect(text).toContain('**not met** (over: GET /r/<code>, e-codes)')
    expect(text).not.toContain('K7QF3XMA9B4K2PZD')
    expect(pageCpuSection(report([['account', 2, 1.5]]))).toContain('**met** (every page within its target)')
  })

  it('replaces its section, or goes before the page weights in a page written before it existed', () => {
    const r = report([['account', 2, 1.5]])
    const fresh = withPageCpuSection('# P\n\n## Server time\n\ns\n\n## Page weight (issue 17)\n\nw\n', r)
    expect(fresh).toMatch(new RegExp(`## Server time\\n\\ns\\n\\n${PAGE_CPU_HEADING.replace(/[()]/g, '\\$&')}[\\s\\S]*\\n## Page weight \\(issue 17\\)\\n\\nw\\n$`))
    const again = withPageCpuSection(fresh, report([['account', 2, 1.7]]))
    expect(again).toContain('| account | `/account` | 1.70 |')
    expect(again).not.toContain('| account | `/account` | 1.50 |')
    expect(again.split(PAGE_CPU_HEADING)).toHaveLength(2)
  })

  it('runs alone as `--only pages`', () => {
    expect(benchOptions(['--only', 'pages'])).toMatchObject({ only: 'pages' })
  })
})
