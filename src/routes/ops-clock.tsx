// /ops/clock (issue 7): operators move the test clock forward, a number of days or to a moment,
// or reset it to real time. Outside production only: in production the page doesn't exist.
import { Hono } from 'hono'
import { z } from 'zod'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { DAY, HOUR } from '../clock'
import { zoneOffsetMinutes } from '../domain/time'
import { momentField, momentIn } from '../forms/moment'
import { parseForm, type FormState } from '../forms/validate'
import { formatDateTime, type MessageKey, type Params } from '../i18n'
import { DAILY_JOBS } from '../jobs'
import {
  advanceTestClock,
  appTime,
  MAX_ADVANCE_DAYS,
  moveTestClockTo,
  resetTestClock,
  testClockAllowed,
  type AdvanceReport,
  type TestClockError,
} from '../services/test-clock'
import { emptyForm } from '../views/components/form'
import { ClockView } from '../views/ops/clock'
import type { AppEnv } from './env'
import { type Ctx, page, seeOther } from './http'

const msg = (key: MessageKey) => ({ message: key })
const wholeDays = z.string().trim().regex(/^\d{0,6}$/, msg('ops.clock.field.days')).transform(Number)
const wholeHours = z.string().trim().regex(/^(\d|1\d|2[0-3])?$/, msg('ops.clock.field.hours')).transform(Number)
const AdvanceForm = z
  .object({ days: wholeDays.default(0), hours: wholeHours.default(0) })
  .refine((f) => f.days > 0 || f.hours > 0, { path: ['days'], ...msg('ops.clock.field.nothing') })
/** A `datetime-local` value, read in the vendor's time zone (the one the page names). */
const MomentForm = z.object({ at: momentField('ops.clock.field.at') })

/** An instant as a `datetime-local` value in a zone, to prefill the form with the app time. */
function momentInput(at: Date, timeZone: string): string {
  return new Date(at.getTime() + zoneOffsetMinutes(at, timeZone) * 60_000).toISOString().slice(0, 16)
}

const pad = (n: number) => String(n).padStart(2, '0')
const SCHEDULE = [...DAILY_JOBS]
  .sort((a, b) => a.hour * 60 + a.minute - (b.hour * 60 + b.minute))
  .map((j) => `${j.job} ${pad(j.hour)}:${pad(j.minute)} UTC`)
  .join(', ')

export const opsClockRoutes = new Hono<AppEnv>()
// Behind requireOperator (mounted under /ops); in production answered like a page that isn't there.
opsClockRoutes.use(async (c, next) => {
  if (!testClockAllowed(c.var.deps.config)) return c.notFound()
  await next()
})

type PageState = { momentForm?: FormState; advanceForm?: FormState; error?: { key: MessageKey; params?: Params } }

async function clockPage(c: Ctx, s: PageState = {}, status: ContentfulStatusCode = 200) {
  const { deps } = c.var
  const real = deps.clock.now()
  // Read again rather than c.var.now: a refused move shows the clock as it is after the attempt.
  const time = await appTime(deps, real)
  const timeZone = deps.config.vendor.timeZone
  const m = { real, app: time.now, set: time.testClock, timeZone, schedule: SCHEDULE, maxDays: MAX_ADVANCE_DAYS }
  const momentForm = s.momentForm ?? emptyForm({ at: momentInput(time.now, timeZone) })
  const view = <ClockView t={c.var.t} lang={c.var.lang} m={m} momentForm={momentForm} advanceForm={s.advanceForm ?? emptyForm()} error={s.error} />
  return page(c, c.var.t('ops.clock'), view, status)
}

opsClockRoutes.get('/', (c) => clockPage(c))

opsClockRoutes.post('/advance', async (c) => {
  const form = await parseForm(c, AdvanceForm)
  if (!form.ok) return clockPage(c, { advanceForm: form }, 422)
  const r = await advanceTestClock(c.var.deps, form.data.days * DAY + form.data.hours * HOUR)
  return r.ok ? moved(c, r.value) : refused(c, r.error, { advanceForm: emptyForm(form.values) })
})

opsClockRoutes.post('/moment', async (c) => {
  const form = await parseForm(c, MomentForm)
  if (!form.ok) return clockPage(c, { momentForm: form }, 422)
  const to = momentIn(form.data.at, c.var.deps.config.vendor.timeZone)
  const r = await moveTestClockTo(c.var.deps, to)
  return r.ok ? moved(c, r.value) : refused(c, r.error, { momentForm: emptyForm(form.values) }, to)
})

opsClockRoutes.post('/reset', async (c) => {
  const r = await resetTestClock(c.var.deps)
  return r.ok ? seeOther(c, '/ops/clock', 'ops.clock.resetDone') : c.notFound()
})

function moved(c: Ctx, r: AdvanceReport) {
  const time = formatDateTime(c.var.lang, r.to, c.var.deps.config.vendor.timeZone)
  return seeOther(c, '/ops/clock', 'ops.clock.done', { time, runs: r.runs, failed: r.failed, skipped: r.skipped })
}

/** Backwards and too far are the operator's to correct (422); a concurrent move is a conflict (409). */
function refused(c: Ctx, error: TestClockError, s: PageState, to?: Date) {
  if (error === 'production') return c.notFound()
  if (error === 'moved') return clockPage(c, { ...s, error: { key: 'ops.clock.error.moved' } }, 409)
  if (error === 'too_far') return clockPage(c, { ...s, error: { key: 'ops.clock.error.tooFar', params: { max: MAX_ADVANCE_DAYS } } }, 422)
  const time = to ? formatDateTime(c.var.lang, to, c.var.deps.config.vendor.timeZone) : ''
  return clockPage(c, { ...s, error: { key: 'ops.clock.error.backwards', params: { time } } }, 422)
}
