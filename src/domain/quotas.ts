// Quota arithmetic (SPEC §5). Effective limit = plan limit + add-on packs × pack size (null means
// unlimited). Being over a limit never removes anything: it only refuses new additions.
export type QuotaKind = 'monthly' | 'total' | 'seats'

export function effectiveLimit(planLimit: number | null | undefined, packs: number, packSize: number): number | null {
  if (planLimit === null || planLimit === undefined) return null
  return planLimit + Math.max(0, packs) * packSize
}

/** Whether `quantity` more fits: additions must stay within the limit; removals always fit. */
export function fits(limit: number | null, used: number, quantity: number): boolean {
  if (quantity <= 0 || limit === null) return true
  return used + quantity <= limit
}

export const isOver = (limit: number | null, used: number) => limit !== null && used > limit
