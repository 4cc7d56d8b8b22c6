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

export function Layout(props: { ctx: ViewCtx; title: string; children: Child }) {
  const { ctx, title } = props
  const { t, lang, user } = ctx
  const { primary, more } = menuOf(ctx)
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
        {!forCodeRecipients(ctx.path) && <link rel="stylesheet" href={asset('/panel.css')} />}
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
        {/* Phones: brand, org switcher and a Menu button (a <details>, so it opens without JavaScript)
            holding everything else. Wide screens show the primary links in the row and keep the rest
            (the user's own pages, language, signing out) behind the button (app.css). */}
        <header class="top">
          <a class="brand" href="/">
            {t('app.name')}
          </a>
          <OrgSwitcher ctx={ctx} />
          <details class="menu-toggle">
            <summary>
              {t('nav.menu')}
              {primary.some((i) => i.dot) && <span class="dot" aria-hidden="true"></span>}
            </summary>
            <div class="menu-panel">
              {primary.length > 0 && (
                <nav aria-label={t('nav.main')}>
                  <MenuList t={t} items={primary} />
                </nav>
              )}
              <div class="menu-more">
                {more.length > 0 && (
                  <nav aria-label={t('nav.more')}>
                    <MenuList t={t} items={more} />
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
              </div>
            </div>
          </details>
        </header>
        <main id="main" tabindex={-1}>
          {ctx.testClock && <TestClockMarker ctx={ctx} at={ctx.testClock} />}
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

function MenuList({ t, items }: { t: ViewCtx['t']; items: NavItem[] }) {
  return (
    <ul class="menu">
      {items.map((item) => (
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
  )
}

/** The primary links (an org's pages, or a visitor's) and the rest: the user's own pages. */
function menuOf(ctx: ViewCtx): { primary: NavItem[]; more: NavItem[] } {
  const { t, user, path, org } = ctx
  if (!user) {
    return {
      primary: [
        { href: '/buy', label: t('nav.buy'), current: path.startsWith('/buy') },
        { href: '/login', label: t('nav.signIn'), current: path.startsWith('/login') },
        { href: '/register', label: t('nav.register'), current: path.startsWith('/register') },
      ],
      more: [],
    }
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
  const own: NavItem[] = [
    { href: '/orgs', label: t('nav.orgs'), current: path.startsWith('/orgs') },
    { href: '/account', label: t('nav.account'), current: path.startsWith('/account') },
  ]
  if (user.isOperator) own.push({ href: '/ops', label: t('nav.ops'), current: path.startsWith('/ops') })
  // Without an org the user's own pages are all there is: they lead the row.
  return org ? { primary: items, more: own } : { primary: own, more: [] }
}

/**
 * The pages a code's recipient opens from a link, on a phone and often for the first time (/r): they
 * need only the frame and forms (app.css), not the panel's lists and tables (panel.css), and stay
 * small (issue 6: page and styles under 15 KB).
 */
function forCodeRecipients(path: string): boolean {
  return path === '/r' || path.startsWith('/r/') || path.startsWith('/r?')
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

/**
 * Which org the page belongs to, and the way to the others (works without JavaScript). The org's
 * dashboard has its name as the heading, so there the header offers only the others.
 */
function OrgSwitcher({ ctx }: { ctx: ViewCtx }) {
  const { t, org, orgs } = ctx
  if (!org) return null
  const base = `/o/${org.slug}`
  const others = orgs.filter((o) => o.slug !== org.slug)
  const onDashboard = ctx.path.split('?')[0] === base
  if (others.length === 0) {
    return onDashboard ? null : (
      <a class="org-name" href={base}>
        <span class="visually-hidden">{t('org.switcher')}: </span>
        {org.name}
      </a>
    )
  }
  return (
    <details class="switcher">
      <summary>
        {!onDashboard && <span class="visually-hidden">{t('org.switcher')}: </span>}
        <span>{onDashboard ? t('org.switchOther') : org.name}</span>
      </summary>
      <ul>
        {others.map((o) => (
          <li>
            <a href={`/o/${o.slug}`}>{o.name}</a>
          </li>
        ))}
        <li>
          <a href="/orgs">{t('org.all')}</a>
        </li>
      </ul>
    </details>
  )
}
