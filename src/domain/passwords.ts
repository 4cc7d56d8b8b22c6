// Password rules (SPEC §1): 8–256 characters, no composition rules, none of the 1,000 most common.
import { COMMON_PASSWORDS } from './common-passwords'

export const PASSWORD_MIN = 8
export const PASSWORD_MAX = 256

let common: Set<string> | undefined

export type PasswordProblem = 'tooShort' | 'tooLong' | 'common'

export function passwordProblem(password: string): PasswordProblem | null {
  const length = [...password].length
  if (length < PASSWORD_MIN) return 'tooShort'
  if (length > PASSWORD_MAX) return 'tooLong'
  common ??= new Set(COMMON_PASSWORDS)
  if (common.has(password.toLowerCase())) return 'common'
  return null
}
