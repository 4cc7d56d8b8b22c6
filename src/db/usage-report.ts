// The statements of a usage report (POST /api/v1/usage), sent as ONE batch: one round trip, one write
// transaction (src/services/usage.ts). Plain SQL held once as text — the call is the hottest write the
// app has, and building these through drizzle on every call cost more than running them. They are
// flat joins rather than nested CTEs: the driver prepares every statement on every call, and SQLite
// plans a flat join in a fraction of the time (0.06 ms against 0.24 ms for the same target). Every
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

/** The live key and its live org, if the test clock is the one expected (outside production). */
const KEY_IS_LIVE = `a.hash = ?1 and a.revoked_at is null and o.deleted_at is null
  and (?11 is null or coalesce((select value from meta where key = 'test_clock_offset_ms'), '') = ?11)`

/** The org behind a live key (no row: unknown, revoked, its org deleted, or the clock not as expected). */
const KEY_ORG = `(select a.org_id from api_keys a join orgs o on o.id = a.org_id where ${KEY_IS_LIVE})`

/**
 * The org's live subscriptions offering the quota (of the product, if named), each with the quota's
 * period this month in the org's time zone (monthly; all time for a total quota), the plan's limit
 * and add-on packs for it: `n` counts them, the other columns are one of them (an aggregate's bare
 * columns), which is the one when n = 1.
 */
const OFFERS = `select s.org_id, s.product_id, p.key as product_key, q.kind, s.status, count(*) as n,
    case q.kind when 'monthly' then json_extract(?10, '$."' || o.time_zone || '"[0]') else 0 end as period_start,
    case q.kind when 'monthly' then json_extract(?10, '$."' || o.time_zone || '"[1]') else 8640000000000000 end as period_end,
    case q.kind when 'monthly' then json_extract(?10, '$."' || o.time_zone || '"[2]') end as resets_at,
    json_extract(s.snapshot, '$.limits."' || q.key || '"') as plan_limit,
    json_extract(s.snapshot, '$.addonPackSizes."' || q.key || '"') as pack_size,
    json_extract(s.addon_packs, '$."' || q.key || '"') as packs
  from api_keys a join orgs o on o.id = a.org_id
    join subscriptions s on s.org_id = a.org_id and s.status <> 'ended'
    join products p on p.id = s.product_id
    join quota_defs q on q.product_id = s.product_id and q.key = ?2
  where ${KEY_IS_LIVE} and (?3 is null or p.key = ?3)`

/**
 * t: the one subscription a report may count against: exactly one offers the quota, it is active,
 * the org is not read-only (SPEC §8), the quantity fits the quota's kind (and the org's time zone was
 * among those sent); with its period and limit.
 */
const TARGET = `with t as (
    select f.org_id, f.product_id, f.product_key, f.period_start, f.period_end, f.resets_at,
      case when f.plan_limit is null then null else f.plan_limit + max(0, coalesce(f.packs, 0)) * coalesce(f.pack_size, 0) end as lim
    from (${OFFERS}) f
    where f.n = 1 and f.status = 'active' and f.period_start is not null
      and (f.kind = 'total' or (f.kind = 'monthly' and ?4 > 0))
      and not exists (select 1 from subscriptions r where r.org_id = f.org_id and r.status <> 'ended' and +r.status = 'read_only')
  )`

// A read-only check reads the org's live subscriptions (subscriptions_live_product), never the
// install's read-only ones (`+` keeps SQLite off the index on status).

/** The period's row of the quota's use, t's, joined on its key. */
const TOTAL_OF_T = `x.org_id = t.org_id and x.product_id = t.product_id and x.quota_key = ?2 and x.period_start = t.period_start and x.period_end = t.period_end`

/** A key held past its 24 hours is released (the daily purge does the same), so the report may take it. */
export const RELEASE_STALE_KEY = `update usage_events set fingerprint = null, response = null
where org_id = ${KEY_ORG} and idempotency_key = ?5 and fingerprint is not null and at <= ?8`

/**
 * The first report in a period creates the period's row from the sum of its events; the triggers of
 * migration 0026 keep it equal to that sum from then on. Nothing is summed once it exists. (Made for
 * the quota's one offer whether or not the report is counted: the row is only ever the sum.)
 */
export const OPEN_PERIOD = `insert into usage_totals (org_id, product_id, quota_key, period_start, period_end, used)
select f.org_id, f.product_id, ?2, f.period_start, f.period_end,
  (select coalesce(sum(u.quantity), 0) from usage_events u
    where u.org_id = f.org_id and u.product_id = f.product_id and u.quota_key = ?2 and u.at >= f.period_start and u.at < f.period_end)
from (${OFFERS}) f
where f.n = 1 and f.kind in ('monthly', 'total') and f.period_start is not null
  and not exists (select 1 from usage_totals x where x.org_id = f.org_id and x.product_id = f.product_id and x.quota_key = ?2 and x.period_start = f.period_start and x.period_end = f.period_end)`

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
 * the report holding the idempotency key, and the quota's rows of use whose period holds now.
 */
export const EXPLAIN = `select o.time_zone,
  case when ?11 is null then null else (select value from meta where key = 'test_clock_offset_ms') end as clock,
  (select json_group_array(json_array(s.id, s.product_id, s.period_start, s.period_end)) from subscriptions s
    where s.org_id = o.id and s.status <> 'ended' and +s.status = 'read_only') as read_only,
  (select json_group_array(json_array(s.product_id, p.key, s.status, json(s.snapshot), json(s.addon_packs), q.kind))
    from subscriptions s join products p on p.id = s.product_id join quota_defs q on q.product_id = s.product_id and q.key = ?2
    where s.org_id = o.id and s.status <> 'ended' and (?3 is null or p.key = ?3)) as candidates,
  (select json_object('at', e.at, 'fingerprint', e.fingerprint, 'response', e.response) from usage_events e
    where e.org_id = o.id and e.idempotency_key = ?5 and e.fingerprint is not null) as earlier,
  (select json_group_array(json_array(x.product_id, x.period_start, x.period_end, x.used)) from usage_totals x
    where x.org_id = o.id and x.quota_key = ?2 and x.period_start <= ?7 and x.period_end > ?7) as totals
from api_keys a join orgs o on o.id = a.org_id
where a.hash = ?1 and a.revoked_at is null and o.deleted_at is null and changes() = 0`

/** When the key was last used, noted at most once a minute: a key used within the minute writes nothing. */
export const TOUCH_KEY = `update api_keys set last_used_at = ?7
where hash = ?1 and revoked_at is null and org_id = ${KEY_ORG} and (last_used_at is null or last_used_at < ?9)`

/** In this order: EXPLAIN reads what COUNT, just before it, did. */
export const REPORT_STATEMENTS = [RELEASE_STALE_KEY, OPEN_PERIOD, COUNT, EXPLAIN, TOUCH_KEY] as const
