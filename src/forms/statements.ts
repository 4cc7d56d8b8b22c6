// The operator's rejection of a signed statement (SPEC §3.2): the reason is required and is sent
// to the person in the operator's words.
import { z } from 'zod'
import type { MessageKey } from '../i18n'
import { oneLine } from './text'

const msg = (key: MessageKey) => ({ message: key })

export const RejectionForm = z.object({
  reason: oneLine(z.string(msg('field.reason.required')).trim().min(1, msg('field.reason.required')).max(500, msg('field.tooLong'))),
})
