// The page frame: skip link, header with the menu and language switcher, flash message, main, footer.
import type { Child } from 'hono/jsx'
import { raw } from 'hono/html'
import { formatDateTime, LANGUAGES, LANGUAGE_NAMES } from '../i18n'
import { ViewContext, type ViewCtx } from './context'
import { ReadOnlyBanner } from './read-only'
import { asset } from '../assets'

export type NavItem = { href: string; label: string; current?: boolean; dot?: boolean }

/**
 * The pages whose forms htmx swaps in place (`hx-post`): only they load it. Every other page works
 * without JavaScript and gets none — a phone then parses and runs no script at all (issue 16,
 * Lighthouse's blocking time). test/routes/scripts.test.ts fails a page that uses htmx without it,
 * or loads it for nothing.
 */
const HTMX_PAGES = [/^\/account(\/|\?|$)/, /^\/ops\/catalog\//]

export function usesHtmx(path: string): boolean {
  return HTMX_PAGES.some((p) => p.test(path))
}

export function Layout(props: { ctx: ViewCtx; title: string; children: Child; nav?: NavItem[] }) {
  const { ctx, title } = props
  const { t, lang, user } = ctx
  const nav: NavItem[] = props.nav ?? defaultNav(ctx)
  return (
    <>
      {raw('<!doctype html>')}
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="description" content={t('app.tagline')} />
        <title>{`${title} · ${t('app.name')}`}</title>
        <link rel="stylesheet" href={asset('/app.css')} />
        <link rel="icon" href={asset('/favicon.svg')} type="image/svg+xml" />
        {usesHtmx(ctx.path) && (
          <>
            <meta name="htmx-config" content='{"includeIndicatorCSS":false}' />
            <script src={asset('/vendor/htmx.min.js')} defer></script>
          </>
        )}
      </head>
      <body>
        <a class="skip" href="#main">
          {t('nav.skip')}
        </a>
        <header class="top">
          <a class="brand" href="/">
            {t('app.name')}
          </a>
          {ctx.testClock && <TestClockMarker ctx={ctx} at={ctx.testClock} />}
          {nav.length > 0 && (
            <nav aria-label={t('nav.main')}>
              <ul class="menu">
                {nav.map((item) => (
                  <li>
                    <a href={item.href} aria-current={item.current ? 'page' : undefined}>
                      {item.label}
                      {item.dot && (
                        <>
                          <span class="dot" aria-hidden="true"></span>
                          <span class="visually-hidden"> {t('nav.pending')}</span>
                        </>
                      )}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <div class="top-actions">
            <form method="post" action="/language" class="lang-switch">
              <input type="hidden" name="next" value={ctx.path} />
              <label for="lang-select" class="visually-hidden">
                {t('lang.label')}
              </label>
              <select id="lang-select" name="language">
                {LANGUAGES.map((l) => (
                  <option value={l} selected={l === lang} lang={l}>
                    {LANGUAGE_NAMES[l]}
                  </option>
                ))}
              </select>
              <button type="submit" class="btn-small">
                {t('lang.switch')}
              </button>
            </form>
            {user && (
              <form method="post" action="/logout">
                <button type="submit" class="btn-small btn-quiet">
                  {t('nav.signOut')}
                </button>
              </form>
            )}
          </div>
        </header>
        <main id="main" tabindex={-1}>
          <OrgSwitcher ctx={ctx} />
          {ctx.readOnly && <ReadOnlyBanner t={t} lang={lang} m={ctx.readOnly} />}
          {ctx.flash && (
            <p class="flash" role="status">
              {t(ctx.flash, ctx.flashParams)}
            </p>
          )}
          {/* Only operators' pages (the back office menu) and a read-only org's (forms shown disabled)
              need it, and a provider doubles the render time of a page. */}
          {ctx.user?.isOperator || ctx.readOnly ? <ViewContext.Provider value={ctx}>{props.children}</ViewContext.Provider> : props.children}
        </main>
        <footer class="foot">
          <p>{t('footer.text')}</p>
        </footer>
      </body>
    </html>
    </>
  )
}

function defaultNav(ctx: ViewCtx): NavItem[] {
  const { t, user, path, org } = ctx
  if (!user) {
    return [
      { href: '/buy', label: t('nav.buy'), current: path.startsWith('/buy') },
      { href: '/login', label: t('nav.signIn'), current: path.startsWith('/login') },
      { href: '/register', label: t('nav.register'), current: path.startsWith('/register') },
    ]
  }
  const items: NavItem[] = []
  if (org) {
    const base = `/o/${org.slug}`
    items.push({ href: base, label: t('nav.dashboard'), current: path === base })
    items.push({ href: `${base}/warehouse`, label: t('nav.warehouse'), current: path.startsWith(`${base}/warehouse`) })
    items.push({ href: `${base}/ecodes`, label: t('nav.ecodes'), current: path.startsWith(`${base}/ecodes`) })
    if (org.role === 'admin') {
      items.push({ href: `${base}/settings/users`, label: t('nav.users'), current: path.startsWith(`${base}/settings/users`) })
      items.push({ href: `${base}/settings/company`, label: t('nav.company'), current: path.startsWith(`${base}/settings/company`) })
      items.push({ href: `${base}/orders`, label: t('nav.orders'), current: path.startsWith(`${base}/orders`) })
      items.push({ href: `${base}/requests`, label: t('nav.requests'), current: path.startsWith(`${base}/requests`), dot: org.pending > 0 })
      items.push({ href: `${base}/history`, label: t('nav.history'), current: path.startsWith(`${base}/history`) })
      items.push({ href: `${base}/settings/api-keys`, label: t('nav.apiKeys'), current: path.startsWith(`${base}/settings/api-keys`) })
    }
  }
  items.push({ href: '/orgs', label: t('nav.orgs'), current: path.startsWith('/orgs') })
  items.push({ href: '/account', label: t('nav.account'), current: path.startsWith('/account') })
  if (user.isOperator) items.push({ href: '/ops', label: t('nav.ops'), current: path.startsWith('/ops') })
  return items
}

/** Every page says when the test clock moves time, so nobody takes a simulated date for today. */
function TestClockMarker({ ctx, at }: { ctx: ViewCtx; at: { now: Date; timeZone: string } }) {
  const text = ctx.t('testClock.marker', { time: formatDateTime(ctx.lang, at.now, at.timeZone) })
  return (
    <p class="test-clock" role="note">
      {ctx.user?.isOperator ? <a href="/ops/clock">{text}</a> : text}
    </p>
  )
}

/** Which org the page belongs to, and links to the others (works without JavaScript). */
function OrgSwitcher({ ctx }: { ctx: ViewCtx }) {
  const { t, org, orgs } = ctx
  if (!org) return null
  const others = orgs.filter((o) => o.slug !== org.slug)
  return (
    <div class="org-bar">
      <span class="muted">{t('org.switcher')}:</span> <strong>{org.name}</strong>
      {others.length > 0 && (
        <details class="switcher">
          <summary>{t('org.switch')}</summary>
          <ul>
            {others.map((o) => (
              <li>
                <a href={`/o/${o.slug}`}>{o.name}</a>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  )
}
