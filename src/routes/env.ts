// The Hono environment every route module shares: what middleware puts on the context.
import type { Session, User } from '../auth/session'
import type { Deps } from '../deps'
import type { Language, MessageKey, Translate } from '../i18n'
import type { Org, Role } from '../services/orgs'
import type { ReadOnly } from '../services/read-only'
import type { MemberOrg } from '../services/request-context'

export type AppEnv = {
  Variables: {
    deps: Deps
    now: Date
    /** True when the test clock (/ops/clock, never in production) moves `now` away from real time. */
    testClock: boolean
    requestId: string
    /** What app.onError caught, for the request's log line. */
    error: unknown
    lang: Language
    t: Translate
    /** The signed-in user; null when signed out or while an operator has not passed the second step. */
    user: User | null
    session: Session | null
    /** Set while an operator has entered the password but not yet the second factor. */
    pendingTwoFactor: { user: User; session: Session } | null
    flash: { key: MessageKey; params?: Record<string, string | number> } | null
    /** The signed-in user's orgs, for the switcher; the one the path names carries what the tenant check needs. */
    orgs: MemberOrg[]
    /** The signed-in user's sessions, newest first, read with the session on the account page (else null). */
    userSessions: Session[] | null
    /** Under /ops/orgs/:id, for an operator: the org the path names, read in the request's first batch (else null). */
    opsOrg: Org | null
    /** Under /o/:slug: the org and the user's role in it (set by requireMembership). */
    org: Org
    role: Role
    /** Under /o/:slug, for administrators: how many items wait in the requests inbox (the yellow dot). */
    orgPending: number
    /** Of those, mistake reports on vouchers: the e-code list tells about them (seed 000). */
    orgPendingReports: number
    /** Under /o/:slug: set when the org is read-only (SPEC §8), else null; read once by requireMembership. */
    readOnly: ReadOnly | null
  }
}
