// Buying through the app's own services and routes and reading back what it issued: the invoice,
// its e-invoice as the transport gets it, its PDF and the XML customers download.
import { and, desc, eq } from 'drizzle-orm'
import { expect } from 'vitest'
import { invoices, orders } from '../../src/db/schema'
import { einvoiceDocument } from '../../src/einvoice/document'
import { formatMoney } from '../../src/i18n'
import { markOrderPaid } from '../../src/services/payments'
import type { TestApp } from '../helpers/app'
import { pdfText } from '../helpers/pdf'

/** Marks the order paid as an operator does for a transfer (fulfilment issues the invoice) and returns the invoice row. */
export async function paidInvoice(t: TestApp, operator: { id: string }, orderId: string) {
  expect(await markOrderPaid(t.deps, orderId, operator as never, t.clock.now())).toEqual({ ok: true })
  return (await t.db.select().from(invoices).where(eq(invoices.orderId, orderId)).get())!
}

/** The org's newest order of a kind (placed through a route, which answers with a redirect). */
export async function newestOrder(t: TestApp, orgId: string, kind: (typeof orders.$inferSelect)['kind']) {
  return (await t.db.select().from(orders).where(and(eq(orders.orgId, orgId), eq(orders.kind, kind))).orderBy(desc(orders.createdAt)).limit(1).get())!
}

/** The values of every `<name>` element in the document, in order. */
export const field = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]!)

/** "356.70" → 35670. */
export const minor = (decimal: string) => {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(decimal)
  if (!m) throw new Error(`not an amount with two decimals: ${decimal}`)
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]))
}

/** The e-invoice the transport would send, as text, with the invoice's order and PDF (read as a person reads it). */
export async function issued(t: TestApp, invoiceId: string, b: { get: (path: string) => Promise<Response> }, slug: string) {
  const document = (await einvoiceDocument(t.deps, invoiceId))!
  const order = (await t.db.select().from(orders).innerJoin(invoices, eq(invoices.orderId, orders.id)).where(eq(invoices.id, invoiceId)).get())!.orders
  const pdfResponse = await b.get(`/o/${slug}/invoices/${invoiceId}`)
  expect(pdfResponse.status).toBe(200)
  const pdf = new Uint8Array(await pdfResponse.arrayBuffer())
  return { document, xml: new TextDecoder().decode(document.xml), order, pdf, pdfText: pdfText(pdf) }
}

/** Every amount of the e-invoice is printed on the PDF, formatted as the PDF formats money (the order's language is English). */
export function expectPrinted(text: string, amounts: string[], currency: string) {
  for (const amount of amounts) expect(text, `${amount} on the PDF`).toContain(formatMoney('en', minor(amount), currency).replace(/\s/g, ' '))
}
