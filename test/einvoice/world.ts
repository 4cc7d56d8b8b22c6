// Paid invoices for the e-invoice tests, and a document builder standing in for
// src/einvoice/document.ts: the Ministry's FA(3) example with the invoice's own number.
import { eq } from 'drizzle-orm'
import { expect } from 'vitest'
import { einvoiceSubmissions, invoices } from '../../src/db/schema'
import type { EInvoiceDocument, EInvoiceDocumentFn } from '../../src/einvoice/channel'
import { markOrderPaid } from '../../src/services/payments'
import type { TestApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { orderFor } from '../helpers/orders'
import { createUser } from '../helpers/users'
import { fa3Document } from './fixtures/fa3'

export const SELLER_NIP = '5260250274'

const seeded = new WeakSet<TestApp>()

/** `count` orders paid by transfer, each with its invoice; returns the invoices' ids. */
export async function paidInvoices(t: TestApp, count: number, prefix = 'buyer'): Promise<string[]> {
  if (!seeded.has(t)) {
    seeded.add(t)
    await t.seedCatalog()
  }
  const operator = await createUser(t.deps, { email: `operator-${prefix}@example.com`, operator: true })
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const buyer = await adminWithOrg(t, `${prefix}${i}@example.com`)
    const { id } = await orderFor(t, buyer, 'transfer')
    expect(await markOrderPaid(t.deps, id, operator as never, t.clock.now())).toEqual({ ok: true })
    const invoice = await t.db.select().from(invoices).where(eq(invoices.orderId, id)).get()
    ids.push(invoice!.id)
  }
  return ids
}

/** The builder the job is given: the invoice's number in the Ministry's example; `override` changes one. */
export function sampleBuilder(override: (invoiceId: string, doc: EInvoiceDocument) => EInvoiceDocument = (_, d) => d): EInvoiceDocumentFn & { built: string[] } {
  const built: string[] = []
  const fn = async (deps: Parameters<EInvoiceDocumentFn>[0], invoiceId: string) => {
    const invoice = await deps.db.select().from(invoices).where(eq(invoices.id, invoiceId)).get()
    if (!invoice) return null
    built.push(invoiceId)
    return override(invoiceId, fa3Document({ nip: SELLER_NIP, number: invoice.number }))
  }
  return Object.assign(fn, { built })
}

export async function submissionOf(t: TestApp, invoiceId: string) {
  return (await t.db.select().from(einvoiceSubmissions).where(eq(einvoiceSubmissions.invoiceId, invoiceId)).get())!
}
