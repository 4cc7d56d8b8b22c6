// Outbox rows as their recipients get them: a mail that carries a secret is stored sealed
// (src/mail/sealed.ts), so tests that follow its link open it with the app's key, as the mail job does.
import type { Config } from '../../src/config'
import type { OutboxRow } from '../../src/mail/outbox'
import { openMailBody } from '../../src/mail/sealed'

type HasKey = { config: Pick<Config, 'ecodeSecrets'> }

/** The row with html, text and attachments opened (unchanged when it was not sealed). */
export async function opened<R extends OutboxRow | undefined>(t: HasKey, row: R): Promise<R> {
  if (!row) return row
  return { ...row, ...(await openMailBody(t.config.ecodeSecrets.encryptionKey, row)) }
}

export function openedAll(t: HasKey, rows: OutboxRow[]): Promise<OutboxRow[]> {
  return Promise.all(rows.map((row) => opened(t, row)))
}
