// Stopping a child started with `detached: true` (its own process group) together with whatever it
// started: tsx's node process, wrangler's workerd. For the bench and the Worker tests.
import type { ChildProcess } from 'node:child_process'

/** SIGTERM to the group, SIGKILL if the child is not gone after `graceMs`, and SIGKILL to what is left of the group once it is. */
export async function stopProcessGroup(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return
  const gone = new Promise<void>((ok) => child.once('exit', () => ok()))
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal)
    } catch {
      // already gone
    }
  }
  signalGroup('SIGTERM')
  const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs)
  await gone
  clearTimeout(timer)
  // The child may exit before its own children (tsx's launcher does).
  signalGroup('SIGKILL')
}
