// The time zone a person's own pages (the account page) show times in (issue 16): the one their
// organizations' pages use — orgs keep a zone from their country (SPEC §2), people keep none. With
// orgs in several zones, the zone most of them share (the first listed on a tie); with none, the zone
// of the country whose language the person reads, else the vendor's.
import { COUNTRY_TIME_ZONES } from './orgs'

const LANGUAGE_ZONES: Record<string, string> = { pl: COUNTRY_TIME_ZONES.PL, it: COUNTRY_TIME_ZONES.IT }

export function userTimeZone(orgZones: readonly string[], language: string, vendorZone: string): string {
  if (orgZones.length === 0) return LANGUAGE_ZONES[language] ?? vendorZone
  const counts = new Map<string, number>()
  for (const z of orgZones) counts.set(z, (counts.get(z) ?? 0) + 1)
  let best = orgZones[0]!
  for (const z of orgZones) if (counts.get(z)! > counts.get(best)!) best = z
  return best
}
