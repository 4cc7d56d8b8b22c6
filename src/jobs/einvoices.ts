// The einvoices job (issue 18): sends invoices to the state's e-invoicing system apart from the
// payment, so a payment never waits for KSeF or SdI. Each run
//   1. gives every recent invoice without one a pending submission;
//   2. asks the channel about documents sent earlier (KSeF: status, number, UPO);
//   3. claims due submissions one by one with a conditional UPDATE (a concurrent run gets none of
//      them), builds their documents, and sends them in batches (one KSeF session per batch).
// What could not reach the system waits with backoff (1 minute doubling to an hour); what was
// refused waits for an operator to re-issue it corrected. A Polish seller's invoice in another
// currency needs the NBP's rate for its VAT in złoty: a document missing it is never sent — the run
// fetches the rate (once per currency and day), stores it and builds the document again, and if the
// NBP can't be reached the invoice stays pending and is tried again with the same backoff.
import type { Deps } from '../deps'
import type { EInvoiceDocument, EInvoicing, Outgoing } from '../einvoice/channel'
import { MissingExchangeRate } from '../einvoice/nbp/rates'
import type { RateAnswer, RateSource } from '../einvoice/nbp/client'
import { storeRate } from '../services/exchange-rates'
import { sha256Base64 } from '../einvoice/ksef/crypto'
import { generateId } from '../auth/tokens'
import {
  claimSubmission,
  discoverInvoices,
  markDeclaredOffline,
  dueSubmissions,
  recordCheck,
  recordDocument,
  recordFailure,
  recordNotRequired,
  recordOutcome,
  submissionsToCheck,
  type Submission,
} from '../services/einvoices'
import { NO_LEASE, type JobReport, type RunContext } from './runner'
import { errorText } from '../log'

/** An invoice waits for the NBP rate its VAT in złoty needs: pending, tried again with backoff, never sent without it. */
class WaitingForRate extends Error {}

/** Documents per KSeF session (KSeF allows 10,000; a batch is also what one run holds claimed at once). */
export const EINVOICE_BATCH = 20
/** Batches per run: the rest is left to the next tick. */
export const EINVOICE_BATCHES = 10

export async function runEInvoices(deps: Deps, now: Date, run: RunContext = NO_LEASE, einvoicing: EInvoicing | null | undefined = deps.einvoicing): Promise<JobReport> {
  const counts = { rates_fetched: 0, waiting_for_rate: 0, discovered: 0, declared_offline: 0, checked: 0, claimed: 0, sent: 0, accepted: 0, rejected: 0, offline: 0, not_required: 0, failed: 0, lost_claims: 0 }
  const errors: string[] = []
  if (!einvoicing) return { counts: { off: 1 }, errors }
  const { channel } = einvoicing
  const { db } = deps
  // One question to the NBP per currency and day in a run, however many invoices wait for it.
  const asked = new Map<string, Promise<RateAnswer>>()
  const rateOf = (currency: string, day: string, rates: RateSource) => {
    const key = `${currency} ${day}`
    let answer = asked.get(key)
    if (!answer) {
      answer = rates.rate(currency, day).then(async (a) => {
        if (a.status === 'found') {
          await storeRate(db, a.rate, now)
          counts.rates_fetched++
        }
        return a
      })
      asked.set(key, answer)
    }
    return answer
  }
  const document = async (invoiceId: string): Promise<EInvoiceDocument | null> => {
    try {
      return await einvoicing.document(deps, invoiceId)
    } catch (e) {
      if (!(e instanceof MissingExchangeRate)) throw e
      if (!einvoicing.rates) throw new WaitingForRate(`${e.message} (no NBP to ask is configured)`)
      const answer = await rateOf(e.currency, e.day, einvoicing.rates)
      if (answer.status !== 'found') throw new WaitingForRate(`${e.message} (${answer.detail})`)
      return einvoicing.document(deps, invoiceId)
    }
  }

  counts.discovered = await discoverInvoices(db, channel.name, now)
  if (channel.name === 'ksef') counts.declared_offline = await markDeclaredOffline(db)

  const toCheck = channel.asksAfterSent ? await submissionsToCheck(db, channel.name, now, EINVOICE_BATCH * EINVOICE_BATCHES) : []
  if (toCheck.length > 0) {
    const outcomes = await channel.check(toCheck.map((row) => ({ session: row.sessionRef, reference: row.transportRef ?? '' })))
    for (const [i, row] of toCheck.entries()) {
      await recordCheck(db, row, outcomes[i]!, now)
      counts.checked++
    }
    await run.heartbeat()
  }

  for (let batchNo = 0; batchNo < EINVOICE_BATCHES; batchNo++) {
    const due = await dueSubmissions(db, channel.name, now, EINVOICE_BATCH)
    if (due.length === 0) break
    const claim = generateId()
    const outgoing: (Outgoing & { row: Submission })[] = []
    for (const row of due) {
      if (!(await claimSubmission(db, row.invoiceId, claim, now))) {
        counts.lost_claims++
        continue
      }
      counts.claimed++
      const attempts = row.attempts + 1
      try {
        const doc = await document(row.invoiceId)
        if (!doc) {
          await recordNotRequired(db, row.invoiceId, claim, now)
          counts.not_required++
          continue
        }
        if (doc.format !== channel.format) throw new Error(`the document is ${doc.format}, ${channel.name} takes ${channel.format}`)
        await recordDocument(db, row.invoiceId, claim, { hash: await sha256Base64(doc.xml), fileName: doc.fileName })
        // Issued while KSeF could not be reached (an earlier try found it down) or during a declared failure.
        outgoing.push({ invoiceId: row.invoiceId, document: doc, offline: row.offlineMode, row: { ...row, attempts } })
      } catch (e) {
        if (e instanceof WaitingForRate) {
          // Expected while the NBP is down: said once per rate on the run's record, and to operators as it is.
          counts.waiting_for_rate++
          if (!errors.includes(e.message)) errors.push(e.message)
          await recordFailure(db, { invoiceId: row.invoiceId, attempts: row.attempts }, claim, e.message, now)
          continue
        }
        counts.failed++
        errors.push(`e-invoice of invoice ${row.invoiceId}: ${errorText(e)}`)
        await recordFailure(db, { invoiceId: row.invoiceId, attempts: row.attempts }, claim, errorText(e), now)
      }
    }
    if (outgoing.length === 0) {
      // Every due row was taken by another run or failed to build: nothing more for this run to do.
      if (counts.lost_claims > 0) break
      continue
    }
    const outcomes = await channel.send(outgoing.map(({ invoiceId, document, offline }) => ({ invoiceId, document, offline })))
    for (const [i, item] of outgoing.entries()) {
      const outcome = outcomes[i] ?? { status: 'unavailable' as const, detail: 'the channel gave no answer for it' }
      await recordOutcome(db, item.invoiceId, item.row.attempts, claim, outcome, now)
      counts[outcome.status === 'unavailable' ? 'offline' : outcome.status]++
    }
    await run.heartbeat()
    // The system is down: the rest waits for its backoff rather than failing the same way now. The
    // run's record says why (a refused KSeF token shows here and on /ops/einvoices).
    const down = outcomes.find((o) => o.status === 'unavailable')
    if (down && outcomes.every((o) => o.status === 'unavailable')) {
      errors.push(`${channel.name} unavailable, ${outgoing.length} invoice(s) wait: ${down.detail}`)
      break
    }
  }
  return { counts, errors }
}
