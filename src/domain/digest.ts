// The digest e-mail rule (SPEC §10, §13): whether one admin gets a digest at this run of the
// every-15-minutes job, and the key that keeps concurrent runs from sending it twice.

/** How often the digests job runs (the cron table says the same). */
export const DIGEST_EVERY_MS = 15 * 60_000
/** At most one digest per person per this much time. */
export const DIGEST_QUIET_MS = 24 * 3_600_000

/** A pending item visible to one admin (admin-rights request, mistake report), possibly across orgs. */
export type PendingItem = { id: string; createdAt: Date }

export type DigestDecision =
  | { send: false }
  | { send: true; pending: number; newSince: number; reason: 'new_items' | 'still_pending' }

/**
 * Whether to send a digest now, given what is pending for one admin and when they last got one.
 *
 * - `lastDigestAt` is the `now` of the run that wrote the previous digest to the outbox (not the
 *   time Resend delivered it), and null if this person was never mailed.
 * - Items created after `now` are ignored: they do not exist yet at the instant being decided
 *   (a `--now` run in the past must not mail about the future), and counting them would break
 *   "nothing pending → nothing sent".
 * - Nothing pending at `now` → no digest, whatever the time since the last one.
 * - The quiet period is inclusive at its end: exactly 24 h after the last digest a new one is
 *   allowed. The job runs on a 15-minute grid and 24 h is a multiple of it, so a reminder falls on
 *   the run exactly one day later rather than 15 minutes after that.
 * - A last digest later than `now` (clock skew, a `--now` run in the past) counts as recent:
 *   refusing is the safe side, since a missed run is caught up by the next one but a double mail
 *   cannot be taken back.
 * - "New" means created strictly after the last digest: an item created at the very instant of the
 *   last digest run was counted in it.
 *
 * Both branches of §10 need 24 h since the last digest, so the rule comes down to "something pending
 * and the quiet period over"; `reason` says which sentence of §10 applies (the mail wording differs:
 * new requests, or a reminder with the number still pending).
 */
export function digestDecision(items: PendingItem[], lastDigestAt: Date | null, now: Date): DigestDecision {
  const at = now.getTime()
  const visible = items.filter((item) => item.createdAt.getTime() <= at)
  if (visible.length === 0) return { send: false }

  if (lastDigestAt === null) return { send: true, pending: visible.length, newSince: visible.length, reason: 'new_items' }

  const last = lastDigestAt.getTime()
  if (at - last < DIGEST_QUIET_MS) return { send: false }

  const newSince = visible.filter((item) => item.createdAt.getTime() > last).length
  return { send: true, pending: visible.length, newSince, reason: newSince > 0 ? 'new_items' : 'still_pending' }
}

/**
 * The unique key of the digest a run is about to write for `userId`, stored under a unique index so
 * that of two runs racing for the same person only one digest row (and outbox row) survives.
 *
 * The key names the digest by the one it follows: "the digest after the one at lastDigestAt". Two
 * runs that read the same state (the same last digest) produce the same key however far apart their
 * clocks are, even across a 15-minute or midnight boundary, which a bucket of `now` would split.
 * Once a digest is written, lastDigestAt moves to that run's `now`, so the next allowed digest gets a
 * new key; a later run that still read the old state collides with the written row and loses.
 * The run's time is deliberately not part of the key, for that reason.
 *
 * This relies on digest rows not being deleted while they are a person's latest (lastDigestAt must
 * never move backwards), and on lastDigestAt being read back at the precision it was stored with
 * (milliseconds, as `toISOString` prints).
 */
export function digestWindowKey(userId: string, lastDigestAt: Date | null): string {
  return `digest:${userId}:${lastDigestAt?.toISOString() ?? 'first'}`
}
