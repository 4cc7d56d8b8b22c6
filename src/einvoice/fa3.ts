// The FA(3) e-invoice (schema FA (3) 1-0E, namespace 2025/06/25/13775) of a Polish seller, for KSeF.
// Pure: the invoice's data in, the XML text out. The rules it follows are in docs/einvoices.md.
import { checkTotals, isEu, treatment, type EinvoiceInput, type EinvoiceLine } from './model'
import { decimal2, token, xmlDocument, type Node } from './xml'
import { MissingExchangeRate } from './nbp/rates'

export const FA3_NAMESPACE = 'http://crd.gov.pl/wzor/2025/06/25/13775/'

/** The rates FA(3)'s P_12 knows, by hundredths of a percent, and the P_13_x / P_14_x pair each is summed in. */
const DOMESTIC_RATES: Record<number, { code: string; field: 1 | 2 | 3 | 4 }> = {
  2300: { code: '23', field: 1 },
  2200: { code: '22', field: 1 },
  800: { code: '8', field: 2 },
  700: { code: '7', field: 2 },
  500: { code: '5', field: 3 },
  400: { code: '4', field: 4 },
  300: { code: '3', field: 4 },
}

/** The rates a Polish seller may charge as its own, in hundredths of a percent. */
export const POLISH_RATES = Object.keys(DOMESTIC_RATES).map(Number)

/** FA(3)'s FormaPlatnosci: 2 card, 6 transfer; PayPal has no code of its own ("other", described). */
const PAYMENT_FORMS = { card: ['FormaPlatnosci', '2'], transfer: ['FormaPlatnosci', '6'] } as const

/** The seller's NIP: ten digits of a PL VAT number. */
export function sellerNip(taxId: string): string {
  const nip = taxId.toUpperCase().replace(/^PL/, '')
  if (!/^\d{10}$/.test(nip)) throw new Error(`an FA(3) seller needs a Polish NIP (PL + 10 digits), got "${taxId}"`)
  return nip
}

export function buildFa3(input: EinvoiceInput): string {
  if (input.seller.country !== 'PL') throw new Error(`FA(3) is for a Polish seller, not ${input.seller.country}`)
  checkTotals(input)
  const how = treatment(input)
  // Never a document without the VAT in złoty the law asks for: the caller fetches the rate first.
  if (input.pln?.status === 'missing') throw new MissingExchangeRate(input.pln.currency, input.pln.day)
  const rate = input.pln?.status === 'converted' ? input.pln.rate.rate : null
  const { seller, buyer } = input
  const [street = seller.name, ...rest] = seller.addressLines.map((l) => l.trim()).filter(Boolean)

  const root: Node = [
    'Faktura',
    [
      [
        'Naglowek',
        [
          ['KodFormularza', 'FA', { kodSystemowy: 'FA (3)', wersjaSchemy: '1-0E' }],
          ['WariantFormularza', '3'],
          ['DataWytworzeniaFa', input.issuedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')],
          ['SystemInfo', token(input.systemInfo, 256)],
        ],
      ],
      [
        'Podmiot1',
        [
          ['PrefiksPodatnika', 'PL'],
          ['DaneIdentyfikacyjne', [['NIP', sellerNip(seller.taxId)], ['Nazwa', token(seller.name, 512)]]],
          ['Adres', [['KodKraju', 'PL'], ['AdresL1', token(street, 512)], rest.length > 0 && ['AdresL2', token(rest.join(', '), 512)]]],
        ],
      ],
      [
        'Podmiot2',
        [
          ['DaneIdentyfikacyjne', [...buyerId(buyer.country, buyer.taxId), ['Nazwa', token(buyer.name, 512)]]],
          [
            'Adres',
            [
              ['KodKraju', buyer.country.toUpperCase()],
              ['AdresL1', token(buyer.addressLine || buyer.name, 512)],
              ['AdresL2', token(`${buyer.postalCode} ${buyer.city}`, 512) || '-'],
            ],
          ],
          // Kontor's buyers are never a local government unit's entity nor a VAT group member.
          ['JST', '2'],
          ['GV', '2'],
        ],
      ],
      [
        'Fa',
        [
          ['KodWaluty', input.currency],
          ['P_1', input.issueDate],
          ['P_2', token(input.number, 256)],
          ...sums(input, how),
          ['P_15', decimal2(input.totals.grossMinor)],
          [
            'Adnotacje',
            [
              ['P_16', '2'],
              ['P_17', '2'],
              // "Odwrotne obciążenie": the buyer accounts for the VAT.
              ['P_18', how === 'reverse_charge' ? '1' : '2'],
              ['P_18A', '2'],
              ['Zwolnienie', [['P_19N', '1']]],
              ['NoweSrodkiTransportu', [['P_22N', '1']]],
              ['P_23', '2'],
              ['PMarzy', [['P_PMarzyN', '1']]],
            ],
          ],
          ['RodzajFaktury', 'VAT'],
          ...input.lines.map((line, i) => row(line, i + 1, how, rate)),
          [
            'Platnosc',
            [
              ['Zaplacono', '1'],
              ['DataZaplaty', input.paidDate],
              ...(input.paymentMethod === 'paypal'
                ? ([['PlatnoscInna', '1'], ['OpisPlatnosci', 'PayPal']] as Node[])
                : ([[...PAYMENT_FORMS[input.paymentMethod]]] as Node[])),
            ],
          ],
        ],
      ],
    ],
    { xmlns: FA3_NAMESPACE },
  ]
  return xmlDocument(root)
}

/**
 * The buyer's identifier: a Polish NIP; an EU VAT number as its prefix and number (KodUE, NrVatUE;
 * Greece's prefix is EL, as FA(3) expects); any other tax number with its country; otherwise (a
 * private person) BrakID.
 */
function buyerId(country: string, taxId: string | null): Node[] {
  const id = taxId?.toUpperCase().replace(/\s/g, '') ?? ''
  if (!id) return [['BrakID', '1']]
  if (country.toUpperCase() === 'PL' && /^PL\d{10}$/.test(id)) return [['NIP', id.slice(2)]]
  if (isEu(country) && /^[A-Z]{2}/.test(id)) return [['KodUE', id.slice(0, 2)], ['NrVatUE', id.slice(2)]]
  return [['KodKraju', country.toUpperCase()], ['NrID', token(id, 50)]]
}

/** The net (P_13_x) and VAT (P_14_x) sums in schema order, from the invoice's VAT by rate. */
function sums(input: EinvoiceInput, how: ReturnType<typeof treatment>): Node[] {
  const byRate = input.totals.byRate
  if (how === 'reverse_charge') {
    // Services to an EU business taxed where it is established (art. 28b, art. 100 ust. 1 pkt 4): P_13_9.
    return [['P_13_9', decimal2(input.totals.netMinor)]]
  }
  if (how === 'oss') {
    return [['P_13_5', decimal2(input.totals.netMinor)], ['P_14_5', decimal2(input.totals.vatMinor)]]
  }
  // VAT in złoty (P_14_xW) per rate as converted, so the field holding 23 % and 22 % is the sum the PDF prints.
  const pln = input.pln?.status === 'converted' ? input.pln.byRate : null
  const fields = new Map<number, { net: number; vat: number; pln: number }>()
  for (const [i, r] of byRate.entries()) {
    const field = domestic(Math.round(r.ratePercent * 100)).field
    const sum = fields.get(field) ?? { net: 0, vat: 0, pln: 0 }
    fields.set(field, { net: sum.net + r.netMinor, vat: sum.vat + r.vatMinor, pln: sum.pln + (pln?.[i]?.plnMinor ?? 0) })
  }
  return [...fields.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([field, sum]): Node[] => [[`P_13_${field}`, decimal2(sum.net)], [`P_14_${field}`, decimal2(sum.vat)], ...(pln ? [[`P_14_${field}W`, decimal2(sum.pln)] as const] : [])])
}

function domestic(bp: number): { code: string; field: 1 | 2 | 3 | 4 } {
  const found = DOMESTIC_RATES[bp]
  if (!found) throw new Error(`FA(3) has no Polish VAT rate of ${bp / 100} % (VENDOR_DEFAULT_VAT must be a Polish rate for a Polish seller)`)
  return found
}

/** `rate`: the NBP rate the VAT was converted at, stated on each line (KursWaluty) of an invoice with VAT in złoty. */
function row(line: EinvoiceLine, n: number, how: ReturnType<typeof treatment>, rate: string | null): Node {
  return [
    'FaWiersz',
    [
      ['NrWierszaFa', String(n)],
      ['P_7', token(line.label, 512) || '-'],
      ['P_8A', 'szt.'],
      ['P_8B', String(line.quantity)],
      ['P_9A', decimal2(line.unitNetMinor)],
      ['P_11', decimal2(line.netMinor)],
      how === 'reverse_charge' ? ['P_12', 'np II'] : how === 'oss' ? ['P_12_XII', decimal2(line.vatRateBp)] : ['P_12', domestic(line.vatRateBp).code],
      rate !== null && ['KursWaluty', rate],
    ],
  ]
}
