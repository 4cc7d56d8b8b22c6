// What a read-only org may still change (SPEC §8): the one list the guard enforces
// (src/routes/read-only.tsx) and the views read to show refused forms disabled
// (src/views/components/post-form.tsx), so the two can't disagree.

/** The read-only org as these rules need it: the products whose lapse made it read-only. */
export type LapsedProducts = { lapsedKeys: readonly string[] }

type Allowed = { method: string; path: RegExp; when?: (match: RegExpExecArray, r: LapsedProducts) => boolean }

/**
 * The only changes a read-only org may make, as paths below /o/:slug. Buying a paid plan needs no
 * entry: the checkout lives at /buy and /checkout, outside /o/:slug, and takes any org.
 */
export const TENANT_ALLOWED: Allowed[] = [
  // One way out: the lapsed product's free plan, now (the handler refuses "at the period end").
  { method: 'POST', path: /^\/products\/([^/]+)\/plan\/free-switch$/, when: (m, r) => r.lapsedKeys.includes(m[1]!) },
  // The other way out: paying an order from its page (the plan bought at checkout, a renewal order).
  { method: 'POST', path: /^\/orders\/[^/]+\/payments$/ },
  // ... or choosing to pay it by bank transfer instead of a card.
  { method: 'POST', path: /^\/orders\/[^/]+\/payment-method$/ },
  // A download, not a change: the ticked codes' vouchers as one PDF (POST only because it names many codes).
  { method: 'POST', path: /^\/ecodes\/vouchers$/ },
  // A person's own affairs, not the org's: leaving it (the last administrator still can't) ...
  { method: 'POST', path: /^\/membership\/removal$/ },
  // ... and withdrawing a saved card or PayPal account, which nothing may charge once it is gone.
  { method: 'POST', path: /^\/payment-methods\/[^/]+\/removal$/ },
]

/** The vendor API's writes a read-only org may still make, as paths below /api/v1. */
export const API_ALLOWED: Allowed[] = [
  // A question, not a change: whether a licence number is valid (a body keeps the number out of URLs).
  { method: 'POST', path: /^\/licences\/validate$/ },
]

/** Reading changes nothing: pages, exports and downloads keep working. */
export const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS']

/** Whether `method path` (below /o/:slug or /api/v1) is allowed while read-only. */
export function allowedWhileReadOnly(list: Allowed[], method: string, path: string, r: LapsedProducts): boolean {
  if (SAFE_METHODS.includes(method)) return true
  return list.some((a) => {
    if (a.method !== method) return false
    const m = a.path.exec(path)
    return m !== null && (!a.when || a.when(m, r))
  })
}

/** The part of an org's URL after /o/:slug (its query dropped), or null for a URL outside any org. */
export function tenantPath(url: string): string | null {
  const m = /^\/o\/[^/?#]+([^?#]*)/.exec(url)
  return m ? m[1]! : null
}
