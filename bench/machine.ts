// What the figures were measured on, read at run time.
import { readFileSync } from 'node:fs'
import { availableParallelism, loadavg, release, totalmem } from 'node:os'

export type Machine = { cpus: number; cpuModel: string; ramGiB: number; node: string; kernel: string; load: string }

export function machine(): Machine {
  let cpuModel = 'unknown'
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8')
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? /^Hardware\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? cpuModel
  } catch {
    // not Linux
  }
  return {
    cpus: availableParallelism(),
    cpuModel,
    ramGiB: totalmem() / 2 ** 30,
    node: process.version,
    kernel: release(),
    load: loadAverage(),
  }
}

/** 1-minute load average: other work on the machine (tests, builds) skews every figure. */
export function loadAverage(): string {
  return loadavg()[0]!.toFixed(2)
}
