// Payment providers for the jobs' robustness tests: a ledger that keeps what the provider itself
// charged (one entry per idempotency key, as Stripe does), in front of a network that loses
// requests and answers or a process that dies mid-call.
import type { ChargeResult, HostedCheckout, OffSessionCharge, PaymentProvider } from '../../src/payments/provider'

/**
 * What goes wrong with one call. `request_lost`: the provider never saw it (no charge, no answer);
 * `answer_lost`: it charged and the answer never came; `throws_before` / `throws_after`: the same
 * two as a thrown timeout; `dies_before` / `dies_after`: the caller's process stops for good, before
 * the request went out or just after the provider charged.
 */
export type ChargeFault = 'none' | 'request_lost' | 'answer_lost' | 'throws_before' | 'throws_after' | 'dies_before' | 'dies_after'
export type FindFault = 'none' | 'throws' | 'unknown'

export type Faults = { charge?: (input: OffSessionCharge) => ChargeFault; find?: (key: string) => FindFault }

/**
 * The provider's own book: a charge per idempotency key (a repeat gets the first answer and charges
 * nothing), by customer too, so a test can say each customer paid once. `inner` decides a new charge.
 */
export class LedgerProvider implements PaymentProvider {
  readonly name = 'test' as const
  readonly ledger = new Map<string, { result: ChargeResult; customerRef: string; amountMinor: number }>()
  /** Calls made, and how many of them a fault hit. */
  readonly calls = { charge: 0, find: 0, faults: 0 }
  /** Resolves when a call "died": the caller's run never continues past it. */
  readonly died: Promise<void>
  private markDied!: () => void

  constructor(
    private inner: Pick<PaymentProvider, 'chargeOffSession' | 'startHostedCheckout'>,
    public faults: Faults = {},
  ) {
    this.died = new Promise((resolve) => (this.markDied = resolve))
  }

  startHostedCheckout(input: HostedCheckout) {
    return this.inner.startHostedCheckout(input)
  }

  async detachMethod(): Promise<'detached'> {
    return 'detached'
  }

  async chargeOffSession(input: OffSessionCharge): Promise<ChargeResult> {
    this.calls.charge++
    const fault = this.faults.charge?.(input) ?? 'none'
    if (fault !== 'none') this.calls.faults++
    if (fault === 'request_lost') return { status: 'unknown' }
    if (fault === 'throws_before') throw new Error('timeout before the provider answered')
    if (fault === 'dies_before') return this.die()
    const known = this.ledger.get(input.idempotencyKey)
    const result = known?.result ?? (await this.inner.chargeOffSession(input))
    if (!known) this.ledger.set(input.idempotencyKey, { result, customerRef: input.customerRef, amountMinor: input.amountMinor })
    if (fault === 'answer_lost') return { status: 'unknown' }
    if (fault === 'throws_after') throw new Error('timeout after the provider charged')
    if (fault === 'dies_after') return this.die()
    return result
  }

  async findCharge(key: string): Promise<ChargeResult | { status: 'not_found' }> {
    this.calls.find++
    const fault = this.faults.find?.(key) ?? 'none'
    if (fault !== 'none') this.calls.faults++
    if (fault === 'throws') throw new Error('timeout looking up the charge')
    if (fault === 'unknown') return { status: 'unknown' }
    return this.ledger.get(key)?.result ?? { status: 'not_found' }
  }

  /** Succeeded charges per customer reference. */
  chargesByCustomer(): Map<string, string[]> {
    const by = new Map<string, string[]>()
    for (const [key, c] of this.ledger) if (c.result.status === 'succeeded') by.set(c.customerRef, [...(by.get(c.customerRef) ?? []), key])
    return by
  }

  private die(): Promise<never> {
    this.markDied()
    return new Promise<never>(() => {})
  }
}

/** A card that always goes through, decided in memory (the test provider reads the saved method from the database first). */
export const approvingCard: Pick<PaymentProvider, 'chargeOffSession' | 'startHostedCheckout'> = {
  startHostedCheckout: async (input) => ({ ok: true, url: `http://localhost/pay/test/${input.paymentId}`, providerRef: `tp_${input.paymentId}` }),
  chargeOffSession: async (input) => ({ status: 'succeeded', providerRef: `tpi_${input.idempotencyKey}` }),
}
