// The statements of a usage report (POST /api/v1/usage), sent as ONE batch: one round trip, one write
// transaction (src/services/usage.ts). Plain SQL held once as text — the call is the hottest write the
// app has, and building these through drizzle on every call cost more than running them. Every
// statement takes the same numbered arguments (REPORT_ARGS, in this order), so ?N means the same
// value everywhere:
//
//   ?1 the API key's SHA-256        ?5 the idempotency key          ?9 last use older than this is noted (ms)
//   ?2 the quota                    ?6 the request's fingerprint    ?10 {time zone: [month start, end, end ISO]}
//   ?3 the product, or null         ?7 now (ms)                     ?11 the test clock's stored offset as
//   ?4 the quantity                 ?8 a key held since before       expected ('' none), null in production
//                                      this is free again (ms)       (where the stored one is never read)

/** What the statements read, in ?N order. */
export type ReportArgs = [
  keyHash: string,
  quota: string,
  product: string | null,
  quantity: number,
  idempotencyKey: string,
  fingerprint: string,
  now: number,
  heldSince: number,
  touchBefore: number,
  months: string,
  clock: string | null,
]

/**
 * k (KEY): the live key and its live org, if the test clock is the one expected; with the org's month.
 * c: the org's live subscriptions offering the quota (of the product, if named), with the plan's limit
 *    and add-on packs for it.
 * t: the one subscription a report may count against: exactly one offers the quota, it is active,
 *    the org is not read-only (SPEC §8), the quantity fits the quota's kind; with its period and limit.
 */
const KEY = `with
  k as (
    select a.id as key_id, a.org_id, (select value from json_each(?10) where key = o.time_zone) as month
    from api_keys a join orgs o on o.id = a.org_id
    where a.hash = ?1 and a.revoked_at is null and o.deleted_at is null
      and (?11 is null or coalesce((select value from meta where key = 'test_clock_offset_ms'), '') = ?11)
  )`

const TARGET = `${KEY},
  c as (
    select k.org_id, s.product_id, p.key as product_key, q.kind, s.status, k.month,
      (select value from json_each(s.snapshot, '$.limits') where key = q.key) as plan_limit,
      (select value from json_each(s.snapshot, '$.addonPackSizes') where key = q.key) as pack_size,
      (select value from json_each(s.addon_packs) where key = q.key) as packs
    from k join subscriptions s on s.org_id = k.org_id and s.status <> 'ended'
      join products p on p.id = s.product_id
      join quota_defs q on q.product_id = s.product_id and q.key = ?2
    where ?3 is null or p.key = ?3
  ),
  t as (
    select c.org_id, c.product_id, c.product_key,
      case c.kind when 'monthly' then json_extract(c.month, '$[0]') else 0 end as period_start,
      case c.kind when 'monthly' then json_extract(c.month, '$[1]') else 8640000000000000 end as period_end,
      case c.kind when 'monthly' then json_extract(c.month, '$[2]') end as resets_at,
      case when c.plan_limit is null then null else c.plan_limit + max(0, coalesce(c.packs, 0)) * coalesce(c.pack_size, 0) end as lim
    from c
    where (select count(*) from c) = 1 and c.status = 'active'
      and (c.kind = 'total' or (c.kind = 'monthly' and ?4 > 0 and c.month is not null))
      and not exists (select 1 from subscriptions r where r.org_id = c.org_id and r.status <> 'ended' and r.status = 'read_only')
  )`

/** The period's row of the quota's use, t's, joined on its key. */
const TOTAL_OF_T = `x.org_id = t.org_id and x.product_id = t.product_id and x.quota_key = ?2 and x.period_start = t.period_start and x.period_end = t.period_end`

/** A key held past its 24 hours is released (the daily purge does the same), so the report may take it. */
export const RELEASE_STALE_KEY = `${KEY}
update usage_events set fingerprint = null, response = null
where org_id = (select org_id from k) and idempotency_key = ?5 and fingerprint is not null and at <= ?8`

/**
 * The first report in a period creates the period's row from the sum of its events; the triggers of
 * migration 0024 keep it equal to that sum from then on. Nothing is summed once it exists.
 */
export const OPEN_PERIOD = `${TARGET}
insert into usage_totals (org_id, product_id, quota_key, period_start, period_end, used)
select t.org_id, t.product_id, ?2, t.period_start, t.period_end,
  (select coalesce(sum(u.quantity), 0) from usage_events u
    where u.org_id = t.org_id and u.product_id = t.product_id and u.quota_key = ?2 and u.at >= t.period_start and u.at < t.period_end)
from t
where not exists (select 1 from usage_totals x where ${TOTAL_OF_T})`

/**
 * The report, if it fits the limit (and keeps the use at zero or above) and its key is not held: the
 * row holds the key, the request's fingerprint and the answer (the API's UsageResponse, fields in this
 * order), written by this same statement. Returns the answer, or nothing.
 */
export const COUNT = `${TARGET}
insert into usage_events (org_id, product_id, quota_key, quantity, at, idempotency_key, fingerprint, response)
select t.org_id, t.product_id, ?2, cast(?4 as integer), ?7, ?5, ?6,
  json_object('product', t.product_key, 'quota', ?2, 'used', x.used + cast(?4 as integer), 'limit', t.lim, 'resets_at', t.resets_at)
from t join usage_totals x on ${TOTAL_OF_T}
where x.used + cast(?4 as integer) >= 0 and (t.lim is null or cast(?4 as integer) <= 0 or x.used + cast(?4 as integer) <= t.lim)
on conflict (org_id, idempotency_key) where fingerprint is not null do nothing
returning response`

/**
 * Only when COUNT, the statement before it, inserted nothing (changes() = 0): why not — the key (no
 * row: unknown, revoked or its org deleted), the test clock and the org's time zone (an expectation
 * that was wrong: planned again), its read-only subscriptions, the subscriptions offering the quota,
 * the report holding the idempotency key, and the period's use.
 */
export const EXPLAIN = `${TARGET}
select o.time_zone,
  case when ?11 is null then null else (select value from meta where key = 'test_clock_offset_ms') end as clock,
  (select json_group_array(json_array(s.id, s.product_id, s.period_start, s.period_end)) from subscriptions s
    where s.org_id = o.id and s.status <> 'ended' and s.status = 'read_only') as read_only,
  (select json_group_array(json_array(s.product_id, p.key, s.status, json(s.snapshot), json(s.addon_packs), q.kind))
    from subscriptions s join products p on p.id = s.product_id join quota_defs q on q.product_id = s.product_id and q.key = ?2
    where s.org_id = o.id and s.status <> 'ended' and (?3 is null or p.key = ?3)) as candidates,
  (select json_object('at', e.at, 'fingerprint', e.fingerprint, 'response', e.response) from usage_events e
    where e.org_id = o.id and e.idempotency_key = ?5 and e.fingerprint is not null) as earlier,
  (select x.used from t join usage_totals x on ${TOTAL_OF_T}) as used
from api_keys a join orgs o on o.id = a.org_id
where a.hash = ?1 and a.revoked_at is null and o.deleted_at is null and changes() = 0`

/** When the key was last used, noted at most once a minute: a key used within the minute writes nothing. */
export const TOUCH_KEY = `${KEY}
update api_keys set last_used_at = ?7 where id = (select key_id from k) and (last_used_at is null or last_used_at < ?9)`

/** In this order: EXPLAIN reads what COUNT, just before it, did. */
export const REPORT_STATEMENTS = [RELEASE_STALE_KEY, OPEN_PERIOD, COUNT, EXPLAIN, TOUCH_KEY] as const
