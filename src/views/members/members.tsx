// Settings → Users (SPEC §2, seed 000): the members with their roles, adding by e-mail, invitations.
import type { FormState } from '../../forms/validate'
import { formatDate, type Language, type Translate } from '../../i18n'
import type { Role } from '../../services/orgs'
import { Field, FormErrors } from '../components/form'
import { PostForm } from '../components/post-form'
import { ConfirmAction } from '../components/confirm'
import { ForItem } from '../components/for-item'

export type MemberRow = { userId: string; name: string; email: string; role: Role; since: Date }

type Props = {
  t: Translate
  lang: Language
  slug: string
  /** For the removal's question ("Remove Ewa from …?"). */
  orgName: string
  timeZone: string
  meId: string
  members: MemberRow[]
  invited: { email: string }[]
  /** The org's products (live subscriptions), and which of them each member may use. */
  products: { id: string; key: string; name: string }[]
  permissions: Map<string, Set<string>>
  form: FormState
  /** Set when the e-mail has no account: offer an invitation to it. */
  invite?: string
  notice?: string
  /** Where the notice's "see the plans" link goes. */
  noticeLink?: string
  /** Items waiting in the requests inbox (claims and admin-rights requests are about members). */
  pending?: number
}

export function MembersView(p: Props) {
  const { t, slug } = p
  const base = `/o/${slug}`
  return (
    <>
      <h1>{t('members.title')}</h1>
      <p class="muted">{t('members.intro')}</p>
      {(p.pending ?? 0) > 0 && (
        <p class="alert">
          <a href={`${base}/requests`}>{t('members.pendingNotice', { count: p.pending ?? 0 })}</a>
        </p>
      )}
      {p.notice && (
        <p class={p.noticeLink ? 'alert' : 'notice'} role="status">
          {p.notice} {p.noticeLink && <a href={p.noticeLink}>{t('members.seePlans')}</a>}
        </p>
      )}
      {/* Focusable, as a scrollable region must be (its buttons may all be disabled in a read-only org); cards on phones. */}
      <div class="table-wrap" tabindex={0} role="region" aria-label={t('members.title')}>
        <table class="cards">
          <thead>
            <tr>
              <th scope="col">{t('members.col.name')}</th>
              <th scope="col">{t('members.col.role')}</th>
              <th scope="col">{t('members.col.since')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('members.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.members.map((m) => (
              <tr>
                <td>
                  <strong>{m.name}</strong> {m.userId === p.meId && <span class="tag">{t('members.you')}</span>}
                  <br />
                  <span class="muted small">{m.email}</span>
                </td>
                <td data-label={t('members.col.role')}>
                  {t(`org.role.${m.role}`)}
                  {m.role === 'member' && p.products.length > 0 && (
                    <PostForm action={`${base}/members/${m.userId}/permissions`} class="permissions">
                      <fieldset>
                        <legend>{t('members.permissions.legend')}</legend>
                        {p.products.map((pr) => (
                          <label>
                            <input type="checkbox" name="product" value={pr.key} checked={p.permissions.get(m.userId)?.has(pr.id) ?? false} /> {pr.name}
                          </label>
                        ))}
                      </fieldset>
                      <button type="submit" class="btn btn-secondary btn-compact">
                        <ForItem label={t('common.save')} item={m.name} sep=" – " />
                      </button>
                    </PostForm>
                  )}
                </td>
                <td data-label={t('members.col.since')}>{formatDate(p.lang, m.since, p.timeZone)}</td>
                <td class="actions">
                  <PostForm action={`${base}/members/${m.userId}/role`}>
                    <input type="hidden" name="role" value={m.role === 'admin' ? 'member' : 'admin'} />
                    <button type="submit" class="btn btn-secondary btn-compact">
                      <ForItem label={m.role === 'admin' ? t('members.makeMember') : t('members.makeAdmin')} item={m.name} sep=" – " />
                    </button>
                  </PostForm>
                  {m.userId !== p.meId && (
                    <ConfirmAction
                      action={`${base}/members/${m.userId}/removal`}
                      label={t('members.remove')}
                      question={t('members.remove.confirm', { name: m.name, org: p.orgName })}
                      submit={t('members.remove.submit', { name: m.name })}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {p.invited.length > 0 && (
        <section class="card" aria-labelledby="invited-h">
          <h2 id="invited-h">{t('members.pending')}</h2>
          <ul class="list">
            {p.invited.map((i) => (
              <li>{i.email}</li>
            ))}
          </ul>
        </section>
      )}
      <section class="card" aria-labelledby="add-h">
        <h2 id="add-h">{t('members.add.title')}</h2>
        <p>{t('members.add.intro')}</p>
        <FormErrors t={t} form={p.form} />
        <PostForm action={`${base}/members`} class="inline-form" novalidate>
          <Field t={t} form={p.form} name="email" label={t('common.email')} type="email" autocomplete="off" required />
          <button type="submit" class="btn">
            {t('members.add.submit')}
          </button>
        </PostForm>
        {p.invite && (
          <div class="alert" role="alert">
            <p>{t('members.noAccount', { email: p.invite })}</p>
            <PostForm action={`${base}/invitations`}>
              <input type="hidden" name="email" value={p.invite} />
              <button type="submit" class="btn">
                {t('members.invite.submit', { email: p.invite })}
              </button>
            </PostForm>
          </div>
        )}
      </section>
      {/* The last administrator can't leave (the guard refuses it): offering the button would only lead to a refusal. */}
      {p.members.filter((m) => m.role === 'admin').length > 1 ? <LeaveForm t={t} slug={slug} /> : <p class="muted">{t('members.leave.soleAdmin')}</p>}
    </>
  )
}

export function LeaveForm({ t, slug }: { t: Translate; slug: string }) {
  return (
    <PostForm action={`/o/${slug}/membership/removal`}>
      <button type="submit" class="btn btn-secondary">
        {t('members.leave')}
      </button>
    </PostForm>
  )
}
