// What deleting a read-only org keeps and what it removes (SPEC §8; docs/rules.md "What deleting an org
// keeps"): orders and invoices for accounting, detached from people; the codes another org redeemed,
// still used and still in the recipient's warehouse and licences; the history's timeline without
// people — and nothing else of the org.
import { describe, expect, it } from 'vitest'
import { and, eq, inArray } from 'drizzle-orm'
import {
  apiKeys,
  blobs,
  ecodes,
  history,
  historyErasures,
  invitations,
  invoices,
  licences,
  memberPermissions,
  memberships,
  orders,
  orgRequests,
  orgs,
  payments,
  savedMethods,
  statements,
  subscriptions,
  usageEvents,
  usageTotals,
  users,
  variants,
  warehouseGrants,
  warehouseStock,
} from '../../src/db/schema'
import { addStock } from '../../src/db/warehouse'
import { createApiKey } from '../../src/services/api-keys'
import { findECodes } from '../../src/services/ecode-list'
import { generateECodes, personalizeECode } from '../../src/services/ecodes'
import { grantUnits } from '../../src/services/grants'
import { invoicePdf } from '../../src/services/invoices'
import { inviteMember } from '../../src/services/members'
import { settlePayment } from '../../src/services/payments'
import { lookUpECode, redeemECode } from '../../src/services/redemption'
import { askForAdminRights } from '../../src/services/requests'
import { uploadStatement } from '../../src/services/statements'
import { reportUsage } from '../../src/services/usage'
import { activateUnit } from '../../src/services/warehouse'
import { testSavedMethod } from '../../src/payments/test-provider'
import { textOf } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { hostedPayment, orderFor } from '../helpers/orders'
import { operatorWithAuthenticator } from '../helpers/operators'
import { pdfText } from '../helpers/pdf'
import { cron, DELETES, grossOf, LAPSED, mailsTo, orgRow, purgeAt, purgeWorld, readOnlyOrg } from '../helpers/purges'
import { createUser, PASSWORD } from '../helpers/users'

describe('deleting a read-only org', () => {
  it('keeps orders, invoices and codes another org redeemed, detached from people, and removes everything else of the org', async () => {
    const w = await purgeWorld()
    const { t, simplysign } = w
    const now = () => t.clock.now()
    const oneYear = (await t.db.select().from(variants).where(eq(variants.key, 'signature-1y')).get())!
    const recipient = await adminWithOrg(t, 'recipient@example.com')
    const CODES = { redeemed: 'A0B1C2D3E4F5G6H7', kept: 'K7QF3XMA9B4K2PZD', active: 'M8N9P0QRSTVWXYZ2', fromRecipient: 'Z9Y8X7W6V5T4S3R2' }
    let statementKey = ''
    const gone = await readOnlyOrg(w, 'gone@example.com', {
      before: async (A) => {
        const { org, user } = A
        // A card saved at the provider, from a second purchase (Certyfikaty Pro, then ended so the org has no other live product).
        const card = await orderFor(t, A, 'card', { product: 'certyfikaty', plan: 'pro', period: 12, addons: {} })
        const paymentId = await hostedPayment(t, card.id, org.id, await grossOf(t, card.id))
        const savedMethod = testSavedMethod(org.id, paymentId, 'card')
        await settlePayment(t.deps, { provider: 'test', eventId: `evt_${paymentId}`, eventType: 'test.approval', paymentId, outcome: 'succeeded', savedMethod }, now())
        await t.db.update(subscriptions).set({ status: 'ended' }).where(and(eq(subscriptions.orgId, org.id), eq(subscriptions.productId, w.certyfikaty.id)))
        // A second administrator, a member with permission for SimplySign, an invitation, an API key, usage.
        const anna = await createUser(t.deps, { email: 'anna@example.com', name: 'Anna Kowalska', language: 'pl' })
        await t.db.insert(memberships).values({ orgId: org.id, userId: anna.id, role: 'admin', createdAt: now() })
        const marek = await createUser(t.deps, { email: 'marek@example.com', name: 'Marek Nowak' })
        await t.db.insert(memberships).values({ orgId: org.id, userId: marek.id, role: 'member', createdAt: now() })
        await t.db.insert(memberPermissions).values({ orgId: org.id, userId: marek.id, productId: simplysign.id })
        await inviteMember(t.deps, org, user as never, 'invited@example.com', now())
        const { key } = await createApiKey(t.deps, org, user as never, 'ERP', now())
        expect(await reportUsage(t.deps, key, { product: 'sekretariat', quota: 'contracts', quantity: 3, idempotencyKey: 'u-1' }, now())).toMatchObject({ ok: true })
        // A signed statement (a scan in the blob store) and an admin-rights request from the member.
        const scan = new TextEncoder().encode('%PDF-1.4\n% a signed statement\n')
        const uploaded = await uploadStatement(t.deps, org, marek as never, 'member', { bytes: scan, name: 'marek.pdf' }, now())
        statementKey = `statements/${(uploaded as { id: string }).id}`
        expect(await askForAdminRights(t.deps, org, marek as never, 'member', now())).toEqual({ ok: true })
        // Warehouse units from an operator grant; four codes; one unit activated as the org's own licence.
        expect(await grantUnits(t.deps, org, w.operator as never, { variantId: oneYear.id, units: 6, note: 'Launch bonus' }, now())).toEqual({ ok: true })
        const queue = [CODES.redeemed, CODES.kept, CODES.active]
        expect(await generateECodes(t.deps, org, user as never, 'admin', oneYear.id, 3, now(), () => queue.shift()!)).toEqual({ ok: true, count: 3 })
        expect(await activateUnit(t.deps, org, user as never, 'admin', oneYear.id, now())).toMatchObject({ ok: true })
        // Every code personalized; two redeemed by the recipient org: one activated there, one kept in its warehouse.
        const mine = await t.db.select().from(ecodes).where(eq(ecodes.orgId, org.id))
        for (const row of await findECodes(t.db, org.id, mine.map((c) => c.id))) {
          await personalizeECode(t.deps, org, user as never, row, { recipientName: 'Ewa Zielińska', message: 'Happy signing, Ewa!' }, now())
        }
        for (const code of [CODES.redeemed, CODES.kept]) expect(await redeemECode(t.deps, recipient.user as never, code, recipient.slug, now())).toMatchObject({ ok: true })
        expect(await activateUnit(t.deps, recipient.org, recipient.user as never, 'admin', oneYear.id, now())).toMatchObject({ ok: true })
        // And the other way round: a code of the recipient org redeemed by this one.
        await addStock(t.db, recipient.org.id, oneYear.id, 1)
        expect(await generateECodes(t.deps, recipient.org, recipient.user as never, 'admin', oneYear.id, 1, now(), () => CODES.fromRecipient)).toEqual({ ok: true, count: 1 })
        expect(await redeemECode(t.deps, user as never, CODES.fromRecipient, A.slug, now())).toMatchObject({ ok: true })
      },
    })
    const { org } = gone
    // An unpaid order waiting for a transfer, with an open payment attempt: cancelled with the org.
    const pending = await orderFor(t, gone, 'transfer', { product: 'certyfikaty', plan: 'pro', period: 1, addons: {} })
    const pendingAttempt = await hostedPayment(t, pending.id, org.id, await grossOf(t, pending.id))
    const invoicesBefore = await t.db.select().from(invoices).where(eq(invoices.orgId, org.id)).orderBy(invoices.number)
    expect(invoicesBefore).toHaveLength(2)
    const recipientBefore = {
      stock: await t.db.select().from(warehouseStock).where(eq(warehouseStock.orgId, recipient.org.id)),
      licences: await t.db.select().from(licences).where(eq(licences.orgId, recipient.org.id)),
      history: await t.db.select().from(history).where(eq(history.orgId, recipient.org.id)),
    }
    expect(recipientBefore.stock.map((s) => s.units)).toEqual([1])
    expect(recipientBefore.licences).toHaveLength(1)

    // Personal data of an Italian private person's org is emptied too (the column is the org's, whatever its form).
    await t.db.update(orgs).set({ codiceFiscale: 'RSSMRA85T10A562S' }).where(eq(orgs.id, org.id))
    await purgeAt(t, cron('2026-11-24'))
    await purgeAt(t, cron('2026-11-30'))
    expect(await purgeAt(t, cron('2026-12-01'))).toMatchObject({ deleted: 1, mailed: 2 })
    const at = cron('2026-12-01')

    // Gone: the org's people, keys, licences, usage, warehouse, requests, statements with their scans, saved methods.
    for (const table of [memberships, memberPermissions, invitations, apiKeys, licences, usageEvents, usageTotals, warehouseStock, warehouseGrants, orgRequests, statements, savedMethods]) {
      expect(await t.db.select().from(table).where(eq(table.orgId, org.id)), String(table)).toEqual([])
    }
    expect(await t.db.select().from(blobs).where(eq(blobs.key, statementKey))).toEqual([])
    // The people themselves stay: they may belong to other orgs.
    expect(await t.db.select({ email: users.email }).from(users).where(inArray(users.email, ['gone@example.com', 'anna@example.com', 'marek@example.com']))).toHaveLength(3)

    // The org row: soft-deleted, named and with its tax id (whose orders these are), contact data emptied.
    const row = await orgRow(t, org.id)
    expect(row).toMatchObject({ deletedAt: at, name: org.name, taxId: org.taxId, country: 'PL', legalForm: 'company', addressLine: '', postalCode: '', city: '', billingEmail: '', einvoiceId: null, codiceFiscale: null, lastLoginAt: null })
    expect((await t.db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id))).map((s) => s.status)).toEqual(['ended', 'ended'])

    // Orders: all kept, nobody named as having placed them, no e-mail in the billing snapshot; the unpaid one cancelled.
    const kept = await t.db.select().from(orders).where(eq(orders.orgId, org.id)).orderBy(orders.number)
    expect(kept).toHaveLength(3)
    for (const o of kept) {
      expect(o.placedBy).toBeNull()
      expect(o.billing).toMatchObject({ name: org.name, taxId: org.taxId, addressLine: 'ul. Polna 3', postalCode: '00-003', city: 'Warszawa', billingEmail: '' })
    }
    expect(kept.find((o) => o.id === pending.id)).toMatchObject({ status: 'cancelled', cancelledAt: at })
    expect((await t.db.select().from(payments).where(eq(payments.id, pendingAttempt)).get())!.status).toBe('cancelled')
    expect(await mailsTo(t, 'gone@example.com', 'order.cancelled')).toEqual([])
    // Invoices exactly as issued, and their PDF still prints the buyer.
    expect(await t.db.select().from(invoices).where(eq(invoices.orgId, org.id)).orderBy(invoices.number)).toEqual(invoicesBefore)
    const pdf = pdfText((await invoicePdf(t.deps, org.id, invoicesBefore[0]!.id))!.bytes)
    expect(pdf).toContain(invoicesBefore[0]!.number)
    expect(pdf).toContain(org.name)
    expect(pdf).toContain('ul. Polna 3')
    // Operators still find the order, and no e-mail address on it.
    const op = await operatorWithAuthenticator(t, 'deletion-operator@example.com')
    const opPage = textOf(await (await op.b.get(`/ops/orders/${kept[0]!.id}`)).text())
    expect(opPage).toContain(kept[0]!.number)
    expect(opPage).toContain(org.name)
    expect(opPage.replaceAll(org.name, '')).not.toContain('gone@example.com')

    // E-codes: the two the recipient redeemed stay, used, without who made them or the voucher's text; the rest are gone.
    const codes = await t.db.select().from(ecodes).where(eq(ecodes.orgId, org.id))
    expect(codes.map((c) => [c.status, c.usedByOrgId, c.createdBy, c.recipientName, c.message])).toEqual([
      ['used', recipient.org.id, null, null, null],
      ['used', recipient.org.id, null, null, null],
    ])
    for (const code of [CODES.redeemed, CODES.kept]) expect(await lookUpECode(t.deps, code, at)).toMatchObject({ found: true, state: 'used' })
    const publicPage = textOf(await (await t.browser().get(`/r/${CODES.kept}`)).text())
    expect(publicPage).toContain('This e-code has already been used')
    expect(await lookUpECode(t.deps, CODES.active, at)).toEqual({ found: false })
    expect((await t.browser().get(`/r/${CODES.active}`)).status).toBe(404)
    // The recipient org keeps its unit, its licence and its history, and sees the codes as used.
    expect(await t.db.select().from(warehouseStock).where(eq(warehouseStock.orgId, recipient.org.id))).toEqual(recipientBefore.stock)
    expect(await t.db.select().from(licences).where(eq(licences.orgId, recipient.org.id))).toEqual(recipientBefore.licences)
    expect(await t.db.select().from(history).where(eq(history.orgId, recipient.org.id))).toEqual(recipientBefore.history)
    // The recipient's own code that the deleted org redeemed: still listed as used by it, the person forgotten.
    const rb = t.browser()
    await rb.post('/login', { email: 'recipient@example.com', password: PASSWORD })
    const ecodesPage = textOf(await (await rb.get(`/o/${recipient.slug}/ecodes?tab=used`)).text())
    expect(ecodesPage).toContain(org.name)
    const theirs = (await t.db.select().from(ecodes).where(eq(ecodes.orgId, recipient.org.id)).get())!
    expect([theirs.status, theirs.usedByOrgId, theirs.usedByUserId]).toEqual(['used', org.id, null])

    // The history keeps its timeline with every person and detail gone; the erasure is recorded.
    const rows = await t.db.select().from(history).where(eq(history.orgId, org.id)).orderBy(history.id)
    expect(rows.length).toBeGreaterThan(10)
    expect(await t.db.select().from(historyErasures).where(eq(historyErasures.orgId, org.id))).toEqual([{ orgId: org.id, erasedAt: at }])
    const last = rows.at(-1)!
    expect(last).toMatchObject({ kind: 'org.deleted', actorType: 'system', actorLabel: 'purges', subjectType: 'org', subjectId: org.id })
    expect(last.details).toMatchObject({ product: 'Sekretariat', lapsedAt: LAPSED.toISOString(), deletesAt: DELETES.toISOString(), cancelledOrders: [pending.number] })
    for (const r of rows.slice(0, -1)) {
      expect([r.actorId, r.details], r.kind).toEqual([null, null])
      expect(r.actorLabel === '' || r.actorType === 'system', r.kind).toBe(true)
    }
    // Whole words only: a random id may contain "anna" (one did: …ui3anna).
    expect(JSON.stringify(rows)).not.toMatch(/gone@|invited@|\b(anna|Anna|marek|Marek|Ewa)\b/)

    // The administrators were told (in their language), the member was not; signing in finds no org.
    expect((await mailsTo(t, 'anna@example.com', 'deletion.done')).map((m) => m.subject)).toEqual([`Organizacja ${org.name} została usunięta`])
    expect(await mailsTo(t, 'marek@example.com', 'deletion.done')).toEqual([])
    const b = t.browser()
    expect((await b.post('/login', { email: 'gone@example.com', password: PASSWORD })).status).toBe(303)
    expect((await b.get(`/o/${gone.slug}`)).status).toBe(404)
  })
})
