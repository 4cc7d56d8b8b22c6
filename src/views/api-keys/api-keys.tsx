// Settings → API keys (SPEC §12): create (the key is shown once), see when each was last used, revoke.
import type { FormState } from '../../forms/validate'
import { formatDateTime, type Language, type Translate } from '../../i18n'
import type { apiKeys } from '../../db/schema'
import { Field, FormErrors } from '../components/form'
import { PostForm } from '../components/post-form'
import { ForItem } from '../components/for-item'

type Key = typeof apiKeys.$inferSelect

export function ApiKeysView(p: { t: Translate; lang: Language; slug: string; timeZone: string; keys: Key[]; form: FormState; created?: string }) {
  const { t, lang } = p
  return (
    <>
      <h1>{t('apiKeys.title')}</h1>
      <p class="muted">{t('apiKeys.intro')}</p>
      {p.created && (
        <div class="notice" role="status">
          <p>{t('apiKeys.created')}</p>
          <p>
            <code class="key big">{p.created}</code>
          </p>
        </div>
      )}
      {p.keys.length > 0 && (
        <ul class="list">
          {p.keys.map((k) => (
            <li>
              <strong>{k.name}</strong> <code>{k.prefix}…</code>
              {k.revokedAt && <span class="tag tag-quiet">{t('apiKeys.revoked')}</span>}
              <br />
              <span class="muted small">
                {t('apiKeys.createdAt', { date: formatDateTime(lang, k.createdAt, p.timeZone) })} ·{' '}
                {k.lastUsedAt ? t('apiKeys.lastUsed', { date: formatDateTime(lang, k.lastUsedAt, p.timeZone) }) : t('apiKeys.neverUsed')}
              </span>
              {!k.revokedAt && (
                <PostForm action={`/o/${p.slug}/api-keys/${k.id}/revocation`}>
                  <button type="submit" class="btn btn-danger btn-compact">
                    <ForItem label={t('apiKeys.revoke')} item={k.name} />
                  </button>
                </PostForm>
              )}
            </li>
          ))}
        </ul>
      )}
      <section class="card" aria-labelledby="new-key-h">
        <h2 id="new-key-h">{t('apiKeys.new')}</h2>
        <FormErrors t={t} form={p.form} />
        <PostForm action={`/o/${p.slug}/api-keys`} class="inline-form" novalidate>
          <Field t={t} form={p.form} name="name" label={t('apiKeys.name')} required maxlength={100} />
          <button type="submit" class="btn">
            {t('apiKeys.create')}
          </button>
        </PostForm>
        <p class="small">
          <a href="/api/v1/openapi.json">{t('apiKeys.docs')}</a>
        </p>
      </section>
    </>
  )
}
