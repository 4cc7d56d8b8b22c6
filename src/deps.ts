// What the app and the jobs are built from; every entry point (Node, Worker, tests) assembles one.
import type { Clock } from './clock'
import type { Config } from './config'
import type { Db } from './db/client'
import type { Logger } from './log'
import type { Mailer } from './mail/mailer'
import type { PaymentProvider } from './payments/provider'
import type { EInvoicing } from './einvoice/channel'

export type Deps = {
  db: Db
  clock: Clock
  config: Config
  /** Sends outbox rows; null when no provider is configured and mail stays local (/dev/mail). */
  mailer: Mailer | null
  /** Takes card and PayPal payments: Stripe, or the test provider outside production; null when only bank transfers are taken. */
  payments: PaymentProvider | null
  /**
   * Sends invoices to KSeF or SdI (src/einvoice/): the channel and the document builder; unset or null
   * when e-invoicing is off (EINVOICE=off, or a seller in a country without a channel).
   */
  einvoicing?: EInvoicing | null
  /** Where the per-request and per-job log lines go; unset: the console (quiet in tests), src/log.ts. */
  log?: Logger
}
