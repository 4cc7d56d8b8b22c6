// What every view needs to know about the request, gathered once by the app's middleware.
import { createContext } from 'hono/jsx'
import type { Language, MessageKey, Translate } from '../i18n'
import type { ReadOnlyBannerModel } from './read-only'

export type ViewUser = { name: string; email: string; isOperator: boolean }

export type ViewCtx = {
  t: Translate
  lang: Language
  user: ViewUser | null
  /** Path and query of the current page, to come back to after switching the language. */
  path: string
  flash: MessageKey | null
  /** The signed-in user's orgs, and the one the page belongs to (under /o/:slug). */
  orgs: { slug: string; name: string; role: 'admin' | 'member' }[]
  /** `pending`: items waiting in the org's requests inbox (administrators only; 0 otherwise). */
  org: { slug: string; name: string; role: 'admin' | 'member'; pending: number } | null
  flashParams?: Record<string, string | number>
  /** Set on every page of a read-only org: the layout shows the banner (SPEC §8). */
  readOnly?: ReadOnlyBannerModel | null
  /** The app's time when the test clock moves it (never in production): the layout marks every page. */
  testClock?: { now: Date; timeZone: string } | null
  /** Whether /ops/clock exists (never in production), for the back office's menu. */
  testClockPage?: boolean
}

/** The page's ViewCtx for components deep inside it (the back office menu), provided by the layout. */
export const ViewContext = createContext<ViewCtx | null>(null)
