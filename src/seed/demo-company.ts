// The demo company of a local installation (issue 16): something to look at after `npm start`. The
// demo customer administers "Biuro Rachunkowe Bilans", a Polish company with a paid plan and a free
// plan whose meters are partly used, two members with different permissions, paid orders with their
// invoices and a transfer still to pay, warehouse units, e-codes in every tab (one personalized, with
// a mistake report waiting) and a couple of years of history — all dated back from the first start.
//
// Everything goes through the app's own services at the time it "happened", so the data is what the
// app would have made: orders and invoices numbered, units counted, history rows and mails written.
// Only development seeds it (src/node.ts never seeds in production, scripts/seed.ts only a local
// database), and production refuses a database holding the demo accounts (./demo-accounts.ts).
import { eq } from 'drizzle-orm'
import type { Deps } from '../deps'
import { products, users, variants } from '../db/schema'
import { recordLogin, type User } from '../auth/session'
import { userActor } from '../db/history'
import { DAY } from '../clock'
import { generateECode } from '../domain/ecode'
import { OrgForm } from '../forms/org'
import { parseWith } from '../forms/validate'
import { placeCheckoutOrder } from '../services/checkout'
import { markOrderPaid } from '../services/payments'
import { createOrg, type Org } from '../services/orgs'
import { addMember, setPermissions } from '../services/members'
import { activateFreePlan } from '../services/subscriptions'
import { reportUsage } from '../services/usage'
import { createApiKey } from '../services/api-keys'
import { disposeECode, generateECodes, personalizeECode } from '../services/ecodes'
import { findECodes } from '../services/ecode-list'
import { lookUpECode, redeemECode } from '../services/redemption'
import { reportMistake } from '../services/ecode-reports'
import { activateUnit } from '../services/warehouse'
import type { CartItem } from '../services/pricing'
import { DEMO_COMPANY, DEMO_CUSTOMER, DEMO_MEMBERS, DEMO_OPERATOR } from './demo-accounts'

/** A step that must succeed: the demo is made by the app's rules, and a refusal is a bug in it. */
function must<T extends { ok: boolean }>(what: string, r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(`seeding the demo company: ${what} was refused: ${JSON.stringify(r)}`)
  return r as Extract<T, { ok: true }>
}

async function userByEmail(deps: Deps, email: string): Promise<User> {
  const user = await deps.db.select().from(users).where(eq(users.email, email)).get()
  if (!user) throw new Error(`seeding the demo company: no account ${email}`)
  return user
}

async function variantId(deps: Deps, key: string): Promise<string> {
  const row = await deps.db.select({ id: variants.id }).from(variants).where(eq(variants.key, key)).get()
  if (!row) throw new Error(`seeding the demo company: the demo catalog has no variant ${key}`)
  return row.id
}

/** An org created through the company form's own rules (the tax id normalized as the form does). */
async function newOrg(deps: Deps, by: User, values: Record<string, string>, at: Date): Promise<Org> {
  const form = parseWith(OrgForm, values)
  if (!form.ok) throw new Error(`seeding the demo company: the company data was refused: ${JSON.stringify(form.errors)}`)
  return must(`creating ${values.name}`, await createOrg(deps, by, form.data, at)).org
}

/**
 * Seeds the demo company as of `now` (the first start); the demo accounts and catalog must be there.
 * Returns the company's slug.
 */
export async function seedDemoCompany(deps: Deps, now: Date): Promise<string> {
  const ago = (days: number, hours = 0) => new Date(now.getTime() - days * DAY + hours * 3_600_000)
  const [anna, operator, ewa, tomasz] = await Promise.all([DEMO_CUSTOMER, DEMO_OPERATOR, ...DEMO_MEMBERS].map((a) => userByEmail(deps, a.email)))
  const [signature1y, signature2y] = await Promise.all([variantId(deps, 'signature-1y'), variantId(deps, 'signature-2y')])
  const simplysign = await deps.db.select({ id: products.id }).from(products).where(eq(products.key, 'simplysign')).get()
  if (!simplysign) throw new Error('seeding the demo company: the demo catalog has no SimplySign')

  const org = await newOrg(deps, anna!, { ...DEMO_COMPANY, billingEmail: anna!.email, einvoiceId: '' }, ago(790))
  const orderPaid = async (item: CartItem, placed: Date, paid: Date | null) => {
    const order = must('an order', await placeCheckoutOrder(deps, { org, user: anna!, item, paymentMethod: 'transfer', language: 'pl' }, placed))
    if (paid) must('marking a transfer paid', await markOrderPaid(deps, order.id, operator!, paid))
    return order
  }

  // Two years ago: signatures bought by transfer; one became an e-code nobody used, expired last month.
  await orderPaid({ product: 'simplysign', variant: 'signature-2y', quantity: 5 }, ago(770), ago(768))
  must('generating the first e-code', await generateECodes(deps, org, anna!, 'admin', signature2y, 1, ago(760)))

  // This year: two colleagues, then Sekretariat Silver for a year, paid by transfer.
  must('adding Ewa', await addMember(deps, org, anna!, ewa!.email, ago(120)))
  must('adding Tomasz', await addMember(deps, org, anna!, tomasz!.email, ago(118)))
  await orderPaid({ product: 'sekretariat', plan: 'silver', period: 12, addons: {} }, ago(95), ago(93))
  must('giving Ewa Sekretariat', await setPermissions(deps, org, userActor(anna!), ewa!.id, ['sekretariat'], ago(92)))
  must('activating the free Certyfikaty', await activateFreePlan(deps, org, anna!, 'certyfikaty', ago(60)))

  // Six weeks ago: ten one-year signatures; Tomasz, who looks after SimplySign, turns six into e-codes.
  await orderPaid({ product: 'simplysign', variant: 'signature-1y', quantity: 10 }, ago(45), ago(44))
  must('giving Tomasz SimplySign', await setPermissions(deps, org, userActor(anna!), tomasz!.id, ['simplysign'], ago(43)))
  const made: string[] = []
  const remember = () => {
    const code = generateECode()
    made.push(code)
    return code
  }
  must('generating e-codes', await generateECodes(deps, org, tomasz!, 'member', signature1y, 6, ago(40), remember))
  const [forJan, forEwa, disposed] = await Promise.all(made.slice(0, 3).map((c) => lookUpECode(deps, c, now)))
  if (!forJan?.found || !forEwa?.found || !disposed?.found) throw new Error('seeding the demo company: the generated e-codes were not found')
  const rowOf = async (id: string) => (await findECodes(deps.db, org.id, [id]))[0]!

  // A voucher personalized for a client; ten days before the first start he reports a typo in his name.
  const personalized = { recipientName: 'Jan Kowalski', message: 'Dziękujemy za współpracę w tym roku!' }
  must('personalizing a voucher', await personalizeECode(deps, org, tomasz!, await rowOf(forJan.ecode.id), personalized, ago(35)))
  // Ewa redeems one for her own practice, and Anna cancels one that went to the wrong person.
  const practice = await newOrg(
    deps,
    ewa!,
    { name: 'Ewa Nowak', country: 'PL', legalForm: 'person', taxId: '', addressLine: 'ul. Ogrodowa 5', postalCode: '05-500', city: 'Piaseczno', billingEmail: ewa!.email },
    ago(21, 1),
  )
  must('redeeming an e-code', await redeemECode(deps, ewa!, made[1]!, practice.slug, ago(21)))
  must('disposing of an e-code', await disposeECode(deps, org, anna!, await rowOf(disposed.ecode.id), ago(14)))
  must('activating a unit', await activateUnit(deps, org, anna!, 'admin', signature1y, ago(7)))

  // Use of the plans over the last months, reported as the vendor's apps do, through the API with the
  // org's key: this month's meters partly used.
  const { key: apiKey } = await createApiKey(deps, org, anna!, 'Sekretariat (demo)', ago(63))
  let key = 0
  const use = async (product: string, quota: string, quantity: number, at: Date) =>
    must(`reporting ${quota}`, await reportUsage(deps, apiKey, { product, quota, quantity, idempotencyKey: `demo-${++key}` }, at))
  for (const [days, contracts, entries] of [
    [62, 31, 48],
    [31, 27, 52],
  ] as const) {
    await use('sekretariat', 'contracts', contracts, ago(days))
    await use('sekretariat', 'correspondence', entries, ago(days))
  }
  await use('certyfikaty', 'certificates', 12, ago(31))
  await use('sekretariat', 'contracts', 23, now)
  await use('sekretariat', 'correspondence', 41, now)
  await use('certyfikaty', 'certificates', 7, now)

  // Waiting: more signatures ordered three days ago, the transfer not in yet; the mistake report.
  await orderPaid({ product: 'simplysign', variant: 'signature-2y', quantity: 3 }, ago(3), null)
  const report = { what: 'Nazwisko to Kowalczyk, nie Kowalski.', contactEmail: 'jan.kowalczyk@example.com' }
  const reported = await lookUpECode(deps, made[0]!, ago(2))
  if (!reported.found) throw new Error('seeding the demo company: the personalized e-code was not found')
  must('reporting a mistake', await reportMistake(deps, reported.ecode, made[0]!, report, { ip: '127.0.0.1', language: 'pl' }, ago(2)))

  // Anna signed in yesterday: the free plan's year counts from then.
  await recordLogin(deps.db, anna!.id, ago(1))
  return org.slug
}
