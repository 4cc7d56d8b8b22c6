// The page frame: skip link, header with the menu and language switcher, flash message, main, footer.
import type { Child } from 'hono/jsx'
import { raw } from 'hono/html'
import { LANGUAGES, LANGUAGE_NAMES } from '../i18n'
import type { ViewCtx } from './context'

export type NavItem = { href: string; label: string; current?: boolean; dot?: boolean }

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
        <meta name="htmx-config" content="includeIndicatorCSS:false" />
        <title>{`${title} · ${t('app.name')}`}</title>
        <link rel="stylesheet" href="/app.css" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <script src="/vendor/htmx.min.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          {t('nav.skip')}
        </a>
        <header class="top">
          <a class="brand" href="/">
            {t('app.name')}
          </a>
          {nav.length > 0 && (
            <nav aria-label={t('nav.main')}>
              <ul class="menu">
                {nav.map((item) => (
                  <li>
                    <a href={item.href} aria-current={item.current ? 'page' : undefined}>
                      {item.label}
                      {item.dot && <span class="dot" aria-hidden="true"></span>}
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
          {ctx.flash && (
            <p class="flash" role="status">
              {t(ctx.flash, ctx.flashParams)}
            </p>
          )}
          {props.children}
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
  const { t, user, path } = ctx
  if (!user) {
    return [
      { href: '/login', label: t('nav.signIn'), current: path.startsWith('/login') },
      { href: '/register', label: t('nav.register'), current: path.startsWith('/register') },
    ]
  }
  const items: NavItem[] = [{ href: '/account', label: t('nav.account'), current: path.startsWith('/account') }]
  if (user.isOperator) items.push({ href: '/ops', label: t('nav.ops'), current: path.startsWith('/ops') })
  return items
}
