// Recognizing the database's refusals that the services turn into results (CONVENTIONS §5:
// uniqueness is a constraint, and losing a race to it is an expected outcome, not a bug).

/** The columns a UNIQUE constraint names when it refused a write (`orgs.tax_id`), else null. */
export function uniqueViolation(e: unknown): string | null {
  for (let x: unknown = e; x; x = (x as { cause?: unknown }).cause) {
    const m = /UNIQUE constraint failed: ([\w., ]+)/.exec(x instanceof Error ? x.message : String(x))
    if (m) return m[1]!.trim()
    if (!(x instanceof Error)) break
  }
  return null
}
