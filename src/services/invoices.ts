// Invoices (SPEC §7): issued with the payment (src/services/fulfilment.ts), printed on demand from
// the order's and the invoice's snapshots, so a later catalog or org change never alters one.
import { and, eq, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { readTogether } from '../db/client'
import { invoices, orders } from '../db/schema'
import { totals } from '../domain/vat'
import type { Language } from '../i18n'
import { renderInvoicePdf } from '../pdf/invoice'
import { orderLinesQuery, paidMethod, paidWithColumn } from './order-pages'

/** The PDF of one of the org's invoices, with a file name; another org's id finds nothing. */
export async function invoicePdf(deps: Deps, orgId: string, invoiceId: string): Promise<{ bytes: Uint8Array; fileName: string } | null> {
  const { db, config } = deps
  // The invoice with its order and how it was paid, and the order's lines found through the invoice: one round trip.
  const orderOfInvoice = sql`(select ${invoices.orderId} from ${invoices} where ${invoices.orgId} = ${orgId} and ${invoices.id} = ${invoiceId})`
  const read = await readTogether(db, {
    found: db
      .select({ invoice: invoices, order: orders, paidWith: paidWithColumn() })
      .from(invoices)
      .innerJoin(orders, eq(orders.id, invoices.orderId))
      .where(and(eq(invoices.orgId, orgId), eq(invoices.id, invoiceId)))
      .limit(1),
    lines: orderLinesQuery(db, orderOfInvoice, orgId),
  })
  const row = read.found[0]
  if (!row) return null
  const { invoice, order } = row
  const lang = order.language as Language
  const lines = read.lines.map((r) => r.line)
  const bytes = await renderInvoicePdf({
    lang,
    number: invoice.number,
    issuedAt: invoice.issuedAt,
    timeZone: config.vendor.timeZone,
    orderNumber: order.number,
    seller: invoice.seller,
    sellerCountry: invoice.seller.country ?? config.vendor.country,
    buyer: order.billing,
    currency: order.currency,
    lines: lines.map((l) => ({ ...l, label: l.label[lang] })),
    totals: totals(lines.map((l) => ({ netMinor: l.netMinor, ratePercent: l.vatRateBp / 100 }))),
    reverseCharge: order.vat.kind === 'reverse_charge',
    // The way the money came (a PayPal account charged for a card order says PayPal), not the one chosen at checkout.
    paymentMethod: paidMethod(order, row.paidWith),
    vendorName: config.vendorName,
  })
  return { bytes, fileName: `${invoice.number.replaceAll('/', '-')}.pdf` }
}
