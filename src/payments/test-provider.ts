// The built-in test provider (SPEC §7): a hosted-page look-alike under /pay/test/<payment> with
// Approve and Decline (src/routes/pay-test.tsx), and saved "cards" that renewals charge — or that
// decline when an admin has told them to (to try dunning). Never used in production (src/config.ts).
import { and, eq } from 'drizzle-orm'
import type { Db } from '../db/client'
import { payments, savedMethods } from '../db/schema'
import type { ChargeResult, HostedCheckout, OffSessionCharge, PaymentProvider } from './provider'

export class TestPaymentProvider implements PaymentProvider {
  readonly name = 'test' as const
  constructor(
    private db: Db,
    private baseUrl: string,
  ) {}

  async startHostedCheckout(input: HostedCheckout) {
    // The reference remembers the method chosen (a renewal order may be paid another way than it was placed).
    const providerRef = `${input.method === 'paypal' ? 'tpp' : 'tp'}_${input.paymentId}`
    return { ok: true as const, url: `${this.baseUrl}/pay/test/${input.paymentId}`, providerRef }
  }

  async chargeOffSession(input: OffSessionCharge): Promise<ChargeResult> {
    // By the unique (provider, method_ref) index: on method_ref alone it scanned every saved method.
    const method = await this.db.select().from(savedMethods).where(and(eq(savedMethods.provider, 'test'), eq(savedMethods.methodRef, input.methodRef))).get()
    const providerRef = `tpi_${input.idempotencyKey}`
    if (!method || method.removedAt) return { status: 'declined', providerRef, reason: 'no_such_method' }
    if (method.declines) return { status: 'declined', providerRef, reason: 'card_declined' }
    return { status: 'succeeded', providerRef }
  }

  /** The test provider keeps no customers of its own: a removed method (removed_at) already declines. */
  async detachMethod(_methodRef: string): Promise<'detached'> {
    return 'detached'
  }

  /** The test provider's ledger is the payments table: a charge it answered left its reference there. */
  async findCharge(idempotencyKey: string): Promise<ChargeResult | { status: 'not_found' }> {
    const row = await this.db.select().from(payments).where(eq(payments.id, idempotencyKey)).get()
    if (!row?.providerRef) return { status: 'not_found' }
    if (row.status === 'succeeded') return { status: 'succeeded', providerRef: row.providerRef }
    if (row.status === 'failed') return { status: 'declined', providerRef: row.providerRef, reason: row.error ?? 'declined' }
    return { status: 'not_found' }
  }
}

/** How a hosted test payment is paid, from the reference startHostedCheckout gave it. */
export function testHostedMethod(providerRef: string | null): 'card' | 'paypal' {
  return providerRef?.startsWith('tpp_') ? 'paypal' : 'card'
}

/** What the test page saves when a payment is approved: a recognisable fake card or PayPal account. */
export function testSavedMethod(orgId: string, paymentId: string, method: 'card' | 'paypal') {
  return { customerRef: `tc_${orgId}`, methodRef: `tpm_${paymentId}`, label: method === 'paypal' ? 'PayPal (test)' : 'Test card •••• 4242', method }
}
