// The forms of accounts and sign-in (SPEC §1).
import { z } from 'zod'
import { LANGUAGES } from '../i18n'
import { passwordProblem } from '../domain/passwords'
import type { MessageKey } from '../i18n'
import { oneLine } from './text'

const msg = (key: MessageKey) => ({ message: key })

export const email = z
  .string(msg('field.email.invalid'))
  .trim()
  .toLowerCase()
  .max(254, msg('field.email.tooLong'))
  .pipe(z.email(msg('field.email.invalid')))

export const newPassword = z.string(msg('field.password.tooShort')).superRefine((value, ctx) => {
  const problem = passwordProblem(value)
  if (problem) ctx.addIssue({ code: 'custom', message: `field.password.${problem}` satisfies MessageKey })
})

/** Any password typed to sign in or confirm: bounded, but not judged. */
const anyPassword = z.string(msg('field.required')).min(1, msg('field.required')).max(1024, msg('field.password.tooLong'))

export const fullName = oneLine(
  z
    .string(msg('field.name.required'))
    .trim()
    .min(1, msg('field.name.required'))
    .max(100, msg('field.name.tooLong')),
)

export const language = z.enum(LANGUAGES, msg('field.language.invalid'))

const checked = (key: MessageKey) => z.literal('on', msg(key))
const optionalCheckbox = z
  .literal('on')
  .optional()
  .transform((v) => v === 'on')

export const RegisterForm = z.object({
  name: fullName,
  email,
  password: newPassword,
  language,
  terms: checked('field.terms.required'),
  privacy: checked('field.privacy.required'),
  marketing: optionalCheckbox,
})

export const LoginForm = z.object({ email, password: anyPassword, remember: optionalCheckbox })

export const EmailForm = z.object({ email })

export const ResetForm = z.object({ password: newPassword })

export const ProfileForm = z.object({ name: fullName, language })

export const ChangePasswordForm = z.object({ currentPassword: anyPassword, password: newPassword })

export const CloseAccountForm = z.object({ password: anyPassword })

export const TwoFactorForm = z.object({
  code: z
    .string(msg('field.code.invalid'))
    .trim()
    .transform((v) => v.replace(/[\s-]/g, ''))
    .pipe(z.string().min(6, msg('field.code.invalid')).max(64, msg('field.code.invalid'))),
})

export const LanguageForm = z.object({ language, next: z.string().max(2000).optional() })
