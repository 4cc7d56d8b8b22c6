// Processes read from /proc (Linux only): a process's children, the workerd processes `wrangler dev`
// starts, and their CPU time (the bench's CPU per request of the Worker).
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (sysconf's CLK_TCK; 100 on Linux). */
export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

export function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number))
  } catch {
    return []
  }
}

function descendantsOf(pid: number): number[] {
  const children = childrenOf(pid)
  return children.flatMap((child) => [child, ...descendantsOf(child)])
}

const read = (pid: number, file: string) => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8')
  } catch {
    return ''
  }
}

/**
 * wrangler dev runs two workerd processes: its proxy, listening on the port requests are sent to
 * (it forwards them and holds requests while the Worker reloads), and the runtime the Worker's code
 * runs in, with miniflare's own small entry workers. Found under wrangler's process by name.
 */
export function workerdProcesses(wranglerPid: number, port: number): { runtime: number[]; proxy: number[] } {
  const workerd = descendantsOf(wranglerPid).filter((pid) => read(pid, 'comm').trim() === 'workerd')
  const isProxy = (pid: number) => read(pid, 'cmdline').split('\0').includes(`--socket-addr=entry=127.0.0.1:${port}`)
  return { runtime: workerd.filter((pid) => !isProxy(pid)), proxy: workerd.filter(isProxy) }
}

/** User + system CPU time of the processes so far, in milliseconds (a process gone counts 0). */
export function cpuMs(pids: number[]): number {
  let ticks = 0
  for (const pid of pids) {
    const stat = read(pid, 'stat')
    if (!stat) continue
    // Fields after "pid (comm) ": state is field 3, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    ticks += Number(fields[11]) + Number(fields[12])
  }
  return (ticks * 1000) / CLOCK_TICKS
}
