// The warehouse page (SPEC §9, "Magazyny"): per product, each variant with its units in brackets,
// and two forms per variant — activate a unit, generate e-codes. The same view shows a refused
// generation (422/409) with the message next to that variant's form.
import type { FormState } from '../../forms/validate'
import type { Language, Translate } from '../../i18n'
import type { StockLine } from '../../services/warehouse'
import { MAX_GENERATED } from '../../services/ecodes'
import { PostForm } from '../components/post-form'
import { ForItem } from '../components/for-item'

export type GenerationError = { variantId: string; form: FormState; message?: string }

type Props = { t: Translate; lang: Language; slug: string; lines: StockLine[]; failed?: GenerationError }

export function WarehouseView({ t, lang, slug, lines, failed }: Props) {
  const products = new Map<string, StockLine[]>()
  for (const l of lines) products.set(l.productName, [...(products.get(l.productName) ?? []), l])
  return (
    <section class="stack">
      <h1>{t('warehouse.title')}</h1>
      <p class="lead">{t('warehouse.intro')}</p>
      {failed && (failed.message || Object.keys(failed.form.errors).length > 0) && (
        <div class="alert" role="alert">
          {failed.message ?? t('common.fixErrors')}
        </div>
      )}
      {lines.length === 0 ? (
        <div class="card">
          <p>{t('warehouse.empty')}</p>
          <p>
            <a class="btn" href="/buy">
              {t('warehouse.buy')}
            </a>
          </p>
        </div>
      ) : (
        [...products].map(([product, variants]) => (
          <section class="card stack" aria-labelledby={`p-${variants[0]!.productId}`}>
            <h2 id={`p-${variants[0]!.productId}`}>{product}</h2>
            {variants.map((v) => (
              <VariantBlock t={t} lang={lang} slug={slug} line={v} failed={failed?.variantId === v.variantId ? failed : undefined} />
            ))}
          </section>
        ))
      )}
      <p>
        <a href={`/o/${slug}/ecodes`}>{t('warehouse.toEcodes')}</a>
      </p>
    </section>
  )
}

function VariantBlock({ t, lang, slug, line, failed }: { t: Translate; lang: Language; slug: string; line: StockLine; failed?: GenerationError }) {
  const base = `/o/${slug}/warehouse/${line.variantId}`
  const id = `q-${line.variantId}`
  // A refusal from the service (not enough units) is the alert at the top; this is the field's own error.
  const error = failed?.form.errors.quantity ? t(failed.form.errors.quantity) : undefined
  const max = Math.max(1, Math.min(line.units, MAX_GENERATED))
  return (
    <div class="stack">
      <h3>
        {line.variantName[lang]} ({line.units})
      </h3>
      <p class="small muted">
        {t('warehouse.term', { count: line.termMonths })} {t('warehouse.validity', { count: line.ecodeValidityMonths })}
      </p>
      {line.units === 0 ? (
        <p class="muted">{t('warehouse.none')}</p>
      ) : (
        <div class="actions">
          <PostForm action={`${base}/activations`}>
            <button type="submit" class="btn btn-secondary btn-compact">
              <ForItem label={t('warehouse.activate')} item={line.variantName[lang]} />
            </button>
          </PostForm>
          <PostForm action={`${base}/ecodes`} class="inline-form">
            <div class={error ? 'field has-error' : 'field'}>
              <label for={id}>{t('warehouse.quantity', { max })}</label>
              <input
                id={id}
                name="quantity"
                type="number"
                inputmode="numeric"
                min={1}
                max={max}
                required
                value={failed?.form.values.quantity ?? '1'}
                aria-invalid={error ? 'true' : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
              />
              {error && (
                <p class="error" id={`${id}-error`}>
                  {error}
                </p>
              )}
            </div>
            <button type="submit" class="btn btn-compact">
              <ForItem label={t('warehouse.generate')} item={line.variantName[lang]} />
            </button>
          </PostForm>
        </div>
      )}
    </div>
  )
}
