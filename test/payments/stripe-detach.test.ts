// A removed payment method can no longer be charged (SPEC §7, §8): removing it on the panel, or the
// deletion of its org, detaches it from its Customer at Stripe — at once, or, when Stripe can't be
// asked, at the next daily purge.
import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { savedMethods } from '../../src/db/schema'
import { generateId } from '../../src/auth/tokens'
import { runNamedJob } from '../../src/jobs'
import { eraseOrg, pendingOrdersQuery } from '../../src/services/org-erasure'
import type { BatchItem } from '../../src/db/client'
import { adminWithOrg } from '../helpers/orgs'
import { stripeTestApp } from './stripe-setup'

const { t, fake } = await stripeTestApp()

/** An org with a card saved at the fake Stripe, as a finished Checkout leaves it. */
async function orgWithStripeCard(email: string, provider: 'stripe' | 'test' = 'stripe') {
  const buyer = await adminWithOrg(t, email)
  const card = fake.savedCard()
  const id = generateId()
  await t.db
    .insert(savedMethods)
    .values({ id, orgId: buyer.org.id, provider, customerRef: card.customer, methodRef: card.paymentMethod, label: 'Visa •••• 4242', createdAt: t.clock.now() })
  return { ...buyer, card, id }
}

const row = async (id: string) => t.db.select().from(savedMethods).where(eq(savedMethods.id, id)).get()
const detachRequests = (pm: string) => fake.requests.filter((r) => r.method === 'POST' && r.path === `/v1/payment_methods/${pm}/detach`)
const purge = async () => {
  const r = await runNamedJob(t.deps, 'purges', t.clock.now())
  if (r.status !== 'ok') throw new Error(JSON.stringify(r))
  return r.counts
}

describe('detaching removed payment methods at Stripe', () => {
  it('detaches the card from its Customer when an administrator removes it', async () => {
    const { b, slug, card, id } = await orgWithStripeCard('detach-now@example.com')
    const res = await b.post(`/o/${slug}/payment-methods/${id}/removal`)
    expect(res.headers.get('Location')).toBe(`/o/${slug}/orders`)
    expect(detachRequests(card.paymentMethod)).toHaveLength(1)
    expect(fake.methods.get(card.paymentMethod)!.customer).toBeNull()
    expect(await row(id)).toMatchObject({ removedAt: t.clock.now(), detachedAt: t.clock.now() })
    // Nothing owed: the purge asks Stripe nothing more.
    expect(await purge()).toMatchObject({ methods_detached: 0, methods_undetached: 0 })
    expect(detachRequests(card.paymentMethod)).toHaveLength(1)
  })

  it('removes it anyway while Stripe fails, and the next purge detaches it; a method of another provider waits', async () => {
    const { b, slug, card, id } = await orgWithStripeCard('detach-later@example.com')
    const other = await orgWithStripeCard('detach-other-provider@example.com', 'test')
    await t.db.update(savedMethods).set({ removedAt: t.clock.now() }).where(eq(savedMethods.id, other.id))
    // The request and both of the client's retries get a 500.
    fake.fail('POST', `/v1/payment_methods/${card.paymentMethod}/detach`, 3)
    expect((await b.post(`/o/${slug}/payment-methods/${id}/removal`)).status).toBe(303)
    expect(detachRequests(card.paymentMethod)).toHaveLength(3)
    expect(fake.methods.get(card.paymentMethod)!.customer).toBe(card.customer)
    expect(await row(id)).toMatchObject({ removedAt: t.clock.now(), detachedAt: null })

    // Still failing at the first purge: counted, and left for the next one.
    fake.fail('POST', `/v1/payment_methods/${card.paymentMethod}/detach`, 3)
    expect(await purge()).toMatchObject({ methods_detached: 0, methods_undetached: 1 })
    expect((await row(id))!.detachedAt).toBeNull()
    expect(await purge()).toMatchObject({ methods_detached: 1, methods_undetached: 0 })
    expect(fake.methods.get(card.paymentMethod)!.customer).toBeNull()
    expect((await row(id))!.detachedAt).toEqual(t.clock.now())
    expect(detachRequests(other.card.paymentMethod)).toHaveLength(0)
    expect((await row(other.id))!.detachedAt).toBeNull()
  })

  it('counts a card Stripe no longer has attached as detached', async () => {
    const { b, slug, card, id } = await orgWithStripeCard('detach-gone@example.com')
    fake.methods.get(card.paymentMethod)!.customer = null
    expect((await b.post(`/o/${slug}/payment-methods/${id}/removal`)).status).toBe(303)
    expect((await row(id))!.detachedAt).toEqual(t.clock.now())
  })

  it('detaches the cards of a deleted org at the purge after its erasure, then deletes their rows', async () => {
    const { org, card, id } = await orgWithStripeCard('detach-erased@example.com')
    const erase = eraseOrg(t.db, org.id, await pendingOrdersQuery(t.db, org.id), t.clock.now())
    await t.db.batch(erase as [BatchItem, ...BatchItem[]])
    // Removed with the org, its label gone, but kept until Stripe confirms.
    expect(await row(id)).toMatchObject({ removedAt: t.clock.now(), detachedAt: null, label: '' })
    expect(fake.methods.get(card.paymentMethod)!.customer).toBe(card.customer)
    expect(await purge()).toMatchObject({ methods_detached: 1 })
    expect(fake.methods.get(card.paymentMethod)!.customer).toBeNull()
    expect(await row(id)).toBeUndefined()
  })
})
