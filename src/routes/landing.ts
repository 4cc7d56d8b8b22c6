// Where a signed-in person starts (SPEC §16, docs/rules.md "Where sign-in lands"): the org's
// dashboard when they belong to exactly one, the org they used last on this browser when several,
// Account when none. "Used last" is a cookie that every page of an org sets when it names another
// org — no database write per page view (issue 14), and nothing to read at sign-in but the orgs.
import { getCookie, setCookie } from 'hono/cookie'
import type { Ctx } from './http'

export const LAST_ORG_COOKIE = 'last_org'
/** Browsers keep a cookie at most 400 days; a year is plenty for "the org you used last". */
const YEAR = 365 * 24 * 3600

type OrgRef = { id: string; slug: string }

/**
 * The start page for someone with these orgs, given the org id the browser remembers. The cookie is
 * only a hint: an org the person does not belong to (another account on the same browser, an org
 * left or deleted since) is ignored. An operator without orgs starts in the back office.
 */
export function landingPath(orgs: readonly OrgRef[], lastOrgId: string | undefined, opts: { operator?: boolean } = {}): string {
  if (orgs.length === 1) return `/o/${orgs[0]!.slug}`
  const last = orgs.find((o) => o.id === lastOrgId)
  if (last) return `/o/${last.slug}`
  if (orgs.length > 1) return '/orgs'
  return opts.operator ? '/ops' : '/account'
}

export function readLastOrg(c: Ctx): string | undefined {
  return getCookie(c, LAST_ORG_COOKIE)
}

/** Remembers the org a page of which was just opened; sends the cookie only when it changes. */
export function rememberOrg(c: Ctx, orgId: string): void {
  if (readLastOrg(c) === orgId) return
  setCookie(c, LAST_ORG_COOKIE, orgId, { path: '/', httpOnly: true, sameSite: 'Lax', secure: c.var.deps.config.secureCookies, maxAge: YEAR })
}
