// The demo catalog (SPEC §4), modelled on the five help pages in ../shared/seeds: Sekretariat
// (aleSekretariat: free Green with monthly limits, read-only then deletion), Certyfikaty (Certesto:
// template limits, back to free on lapse), Certified Platform (Aruba: 12/24-month bundle with
// add-on packs, businesses only) and SimplySign (Certum: a virtual product with 1- and 2-year units).
// Prices are net, in minor units.
//
// A free plan is limited by what it makes (documents, certificates, templates, external users,
// storage), never by fewer seats than the product's cheapest paid plan (issue 16): seats are the
// org's members, counted against the biggest limit of all its plans, so a free plan with fewer
// would mark an org over its limit the moment it is activated, and upgrading would never take
// seats away. The seeds limit aleSekretariat Green by documents only; Certified Platform's bundle
// is "1 admin + 14 users" (seed 004), which its free version keeps.
import type { BatchItem, Db } from '../db/client'
import { addonPrices, addons, planLimits, planPrices, plans, products, quotaDefs, variants, type Localized } from '../db/schema'
import { generateId } from '../auth/tokens'
import { invalidateCatalog } from '../db/catalog-cache'

type PlanSpec = { key: string; name: string; free?: boolean; prices: Record<number, number>; limits: Record<string, number | null> }
type ProductSpec = {
  key: string
  name: string
  kind: 'subscription' | 'virtual'
  currency: 'PLN' | 'EUR'
  description: Localized
  billingPeriods: number[]
  lapsePolicy: 'downgrade_to_free' | 'read_only_then_delete'
  businessOnly?: boolean
  quotas?: { key: string; kind: 'monthly' | 'total' | 'seats'; label: Localized }[]
  plans?: PlanSpec[]
  addons?: { quotaKey: string; name: Localized; packSize: number; maxPacks: number | null; prices: Record<number, number> }[]
  variants?: { key: string; name: Localized; termMonths: number; unitPriceMinor: number }[]
}

const users: Localized = { en: 'users', pl: 'użytkownicy', it: 'utenti' }

export const DEMO_CATALOG: ProductSpec[] = [
  {
    key: 'sekretariat',
    name: 'Sekretariat',
    kind: 'subscription',
    currency: 'PLN',
    description: {
      en: 'Office register of contracts and correspondence.',
      pl: 'Rejestr umów i korespondencji dla sekretariatu.',
      it: 'Registro di contratti e corrispondenza per la segreteria.',
    },
    billingPeriods: [1, 12],
    lapsePolicy: 'read_only_then_delete',
    quotas: [
      { key: 'contracts', kind: 'monthly', label: { en: 'contracts', pl: 'umowy', it: 'contratti' } },
      { key: 'correspondence', kind: 'monthly', label: { en: 'correspondence entries', pl: 'wpisy korespondencji', it: 'voci di corrispondenza' } },
      { key: 'users', kind: 'seats', label: users },
    ],
    plans: [
      { key: 'green', name: 'Green', free: true, prices: {}, limits: { contracts: 10, correspondence: 10, users: 3 } },
      { key: 'silver', name: 'Silver', prices: { 1: 2900, 12: 29000 }, limits: { contracts: 100, correspondence: 100, users: 3 } },
      { key: 'gold', name: 'Gold', prices: { 1: 5900, 12: 59000 }, limits: { contracts: 500, correspondence: 500, users: 10 } },
      { key: 'platinum', name: 'Platinum', prices: { 1: 9900, 12: 99000 }, limits: { contracts: null, correspondence: null, users: 25 } },
    ],
  },
  {
    key: 'certyfikaty',
    name: 'Certyfikaty',
    kind: 'subscription',
    currency: 'PLN',
    description: {
      en: 'Certificates and diplomas from your own templates.',
      pl: 'Certyfikaty i dyplomy z własnych szablonów.',
      it: 'Certificati e diplomi dai tuoi modelli.',
    },
    billingPeriods: [1, 12],
    lapsePolicy: 'downgrade_to_free',
    quotas: [
      { key: 'templates', kind: 'total', label: { en: 'templates', pl: 'szablony', it: 'modelli' } },
      { key: 'certificates', kind: 'monthly', label: { en: 'certificates', pl: 'certyfikaty', it: 'certificati' } },
      { key: 'users', kind: 'seats', label: users },
    ],
    plans: [
      { key: 'free', name: 'Free', free: true, prices: {}, limits: { templates: 1, certificates: 20, users: 5 } },
      { key: 'pro', name: 'Pro', prices: { 1: 4900, 12: 49000 }, limits: { templates: 10, certificates: 1000, users: 5 } },
    ],
  },
  {
    key: 'certified-platform',
    name: 'Certified Platform',
    kind: 'subscription',
    currency: 'EUR',
    description: {
      en: 'Certified document exchange for businesses: 1 administrator and 14 users; the Base plan adds 100 external users and 5 GB, the free version 5 and 1 GB.',
      pl: 'Certyfikowana wymiana dokumentów dla firm: 1 administrator i 14 użytkowników; plan Base daje 100 użytkowników zewnętrznych i 5 GB, wersja darmowa 5 i 1 GB.',
      it: 'Scambio certificato di documenti per le imprese: 1 amministratore e 14 utenti; il piano Base aggiunge 100 utenti esterni e 5 GB, la versione gratuita 5 e 1 GB.',
    },
    billingPeriods: [12, 24],
    lapsePolicy: 'downgrade_to_free',
    businessOnly: true,
    quotas: [
      { key: 'users', kind: 'seats', label: users },
      { key: 'external_users', kind: 'total', label: { en: 'external users', pl: 'użytkownicy zewnętrzni', it: 'utenti esterni' } },
      { key: 'storage_gb', kind: 'total', label: { en: 'GB of storage', pl: 'GB przestrzeni', it: 'GB di spazio' } },
    ],
    plans: [
      { key: 'free', name: 'Free', free: true, prices: {}, limits: { users: 15, external_users: 5, storage_gb: 1 } },
      { key: 'base', name: 'Base', prices: { 12: 30000, 24: 54000 }, limits: { users: 15, external_users: 100, storage_gb: 5 } },
    ],
    addons: [
      { quotaKey: 'users', name: { en: '+1 user', pl: '+1 użytkownik', it: '+1 utente' }, packSize: 1, maxPacks: 14, prices: { 12: 2000, 24: 3600 } },
      { quotaKey: 'external_users', name: { en: '+50 external users', pl: '+50 użytkowników zewnętrznych', it: '+50 utenti esterni' }, packSize: 50, maxPacks: null, prices: { 12: 5000, 24: 9000 } },
      { quotaKey: 'storage_gb', name: { en: '+5 GB', pl: '+5 GB', it: '+5 GB' }, packSize: 5, maxPacks: null, prices: { 12: 2500, 24: 4500 } },
    ],
  },
  {
    key: 'simplysign',
    name: 'SimplySign',
    kind: 'virtual',
    currency: 'PLN',
    description: {
      en: 'Qualified electronic signature in the cloud, activated from an e-code.',
      pl: 'Kwalifikowany podpis elektroniczny w chmurze, aktywowany e-kodem.',
      it: 'Firma elettronica qualificata nel cloud, attivata con un codice.',
    },
    billingPeriods: [],
    lapsePolicy: 'downgrade_to_free',
    variants: [
      { key: 'signature-1y', name: { en: 'signature, 1 year', pl: 'podpis, 1 rok', it: 'firma, 1 anno' }, termMonths: 12, unitPriceMinor: 29900 },
      { key: 'signature-2y', name: { en: 'signature, 2 years', pl: 'podpis, 2 lata', it: 'firma, 2 anni' }, termMonths: 24, unitPriceMinor: 49900 },
    ],
  },
]

/** The inserts that create a catalog, to run in one batch (all or nothing). */
export function catalogStatements(db: Db, catalog: ProductSpec[], now: Date): BatchItem[] {
  const statements: BatchItem[] = []
  for (const p of catalog) {
    const productId = generateId()
    statements.push(
      db.insert(products).values({
        id: productId,
        key: p.key,
        name: p.name,
        kind: p.kind,
        currency: p.currency,
        description: p.description,
        billingPeriods: p.billingPeriods,
        lapsePolicy: p.lapsePolicy,
        businessOnly: p.businessOnly ?? false,
        createdAt: now,
      }),
    )
    p.quotas?.forEach((q, position) => statements.push(db.insert(quotaDefs).values({ productId, key: q.key, kind: q.kind, label: q.label, position })))
    p.plans?.forEach((plan, rank) => {
      const planId = generateId()
      statements.push(db.insert(plans).values({ id: planId, productId, key: plan.key, name: plan.name, rank, isFree: plan.free ?? false }))
      for (const [months, net] of Object.entries(plan.prices)) statements.push(db.insert(planPrices).values({ planId, periodMonths: Number(months), netMinor: net }))
      for (const [quotaKey, limit] of Object.entries(plan.limits)) statements.push(db.insert(planLimits).values({ planId, quotaKey, limit }))
    })
    for (const a of p.addons ?? []) {
      const addonId = generateId()
      statements.push(db.insert(addons).values({ id: addonId, productId, quotaKey: a.quotaKey, name: a.name, packSize: a.packSize, maxPacks: a.maxPacks }))
      for (const [months, net] of Object.entries(a.prices)) statements.push(db.insert(addonPrices).values({ addonId, periodMonths: Number(months), netMinor: net }))
    }
    for (const v of p.variants ?? []) statements.push(db.insert(variants).values({ id: generateId(), productId, ...v }))
  }
  return statements
}

/** Inserts a catalog in one batch (tests, benchmarks; `npm start` batches it with the demo accounts). */
export async function insertCatalog(db: Db, catalog: ProductSpec[], now: Date): Promise<void> {
  const [first, ...rest] = catalogStatements(db, catalog, now)
  if (first) await db.batch([first, ...rest])
  invalidateCatalog(db)
}
