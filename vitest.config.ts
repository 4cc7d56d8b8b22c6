import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * The files that take the longest, started first: on a fresh clone vitest has no timings and would
 * start them by file size, so the 10,000-renewal test (a small file, ~2 minutes) came last and ran
 * alone on one core at the end. Longest first keeps both cores busy to the end.
 */
const LONGEST_FIRST = [/renewals-scale\.test/, /e2e\/buying-journey/, /e2e\/lifecycle-journey/, /e2e\//, /worker\//]

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((re) => re.test(f.moduleId))
      return i === -1 ? LONGEST_FIRST.length : i
    }
    const base = await super.sort(files)
    return base.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f)
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    // A worker per core: vitest's default (cores − 1) ran the files one at a time on 2 cores.
    maxWorkers: availableParallelism(),
    sequence: { sequencer: LongestFirst },
  },
})
