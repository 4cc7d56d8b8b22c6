// The FatturaPA invoice between private parties (FPR12, schema 1.2.2) of an Italian seller, for SdI.
// Pure: the invoice's data in, the file name and XML text out. Rules: docs/einvoices.md.
import { checkTotals, isEu, treatment, type EinvoiceInput } from './model'
import { decimal2, latin1, rate2, xmlDocument, type Node } from './xml'

export const FATTURAPA_NAMESPACE = 'http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2'

/** RegimeFiscale values of schema 1.2.2 (RF03 was withdrawn). */
export const REGIMI_FISCALI = ['RF01', 'RF02', 'RF04', 'RF05', 'RF06', 'RF07', 'RF08', 'RF09', 'RF10', 'RF11', 'RF12', 'RF13', 'RF14', 'RF15', 'RF16', 'RF17', 'RF18', 'RF19'] as const

/** The note on reverse-charge lines: services to an EU business are outside Italian VAT (art. 7-ter). */
export const REVERSE_CHARGE_REFERENCE = 'Inversione contabile - art. 7-ter DPR 633/72'

/**
 * What the SdI is told about the recipient (FPR12):
 * - an Italian buyer's 7-character SDI code → CodiceDestinatario;
 * - an Italian buyer's PEC address → CodiceDestinatario 0000000 and PECDestinatario;
 * - an Italian buyer with neither (a private person) → 0000000: the invoice waits in the buyer's
 *   area of the Agenzia's portal, and the PDF is the buyer's copy;
 * - a buyer outside Italy → XXXXXXX (the SdI records it, delivery is Kontor's e-mail and PDF).
 */
export function recipient(buyer: { country: string; einvoiceId: string | null }): { code: string; pec: string | null } {
  if (buyer.country.toUpperCase() !== 'IT') return { code: 'XXXXXXX', pec: null }
  const id = buyer.einvoiceId?.trim() ?? ''
  if (id.includes('@')) return { code: '0000000', pec: id }
  if (/^[A-Za-z0-9]{7}$/.test(id)) return { code: id.toUpperCase(), pec: null }
  return { code: '0000000', pec: null }
}

/** The seller's partita IVA: eleven digits of an IT VAT number. */
export function partitaIva(taxId: string): string {
  const digits = taxId.toUpperCase().replace(/^IT/, '')
  if (!/^\d{11}$/.test(digits)) throw new Error(`a FatturaPA seller needs an Italian VAT number (IT + 11 digits), got "${taxId}"`)
  return digits
}

/** An Italian address's second line, "00184 Roma RM" or "00184 Roma (RM)": CAP, comune and province. */
export function italianPlace(line: string): { cap: string; comune: string; provincia: string | null } | null {
  const m = /^(\d{5})\s+(.+?)(?:\s+\(?([A-Z]{2})\)?)?$/.exec(line.trim())
  return m ? { cap: m[1]!, comune: m[2]!, provincia: m[3] ?? null } : null
}

/**
 * The SdI file's progressive (5 letters or digits, unique per sender): the invoice number
 * FV/YYYY/NNNNNN read as (YYYY − 2000) × 1 000 000 + NNNNNN in base 36 — unique until 2059.
 */
export function progressive(invoiceNumber: string): string {
  const m = /^FV\/(\d{4})\/(\d{6})$/.exec(invoiceNumber)
  const year = Number(m?.[1])
  if (!m || year < 2000 || year > 2059) throw new Error(`no SdI progressive for invoice number "${invoiceNumber}"`)
  return ((year - 2000) * 1_000_000 + Number(m[2])).toString(36).toUpperCase().padStart(5, '0')
}

/** ModalitaPagamento: MP08 payment card (PayPal included), MP05 bank transfer. */
const PAYMENT_MODES = { card: 'MP08', paypal: 'MP08', transfer: 'MP05' } as const

export function buildFatturaPa(input: EinvoiceInput): { fileName: string; xml: string } {
  if (input.seller.country !== 'IT') throw new Error(`FatturaPA is for an Italian seller, not ${input.seller.country}`)
  checkTotals(input)
  const { seller, buyer } = input
  const piva = partitaIva(seller.taxId)
  const [street = '', placeLine = ''] = seller.addressLines.map((l) => l.trim())
  const place = italianPlace(placeLine)
  if (!place) throw new Error(`the Italian seller's address needs "CAP Comune [PR]" on its second line, got "${placeLine}"`)
  const to = recipient(buyer)
  const reverse = treatment(input) === 'reverse_charge'
  const nature = reverse ? ([['Natura', 'N2.1']] as Node[]) : []
  const buyerIt = buyer.country.toUpperCase() === 'IT'
  const prog = progressive(input.number)

  const root: Node = [
    'p:FatturaElettronica',
    [
      [
        'FatturaElettronicaHeader',
        [
          [
            'DatiTrasmissione',
            [
              ['IdTrasmittente', [['IdPaese', 'IT'], ['IdCodice', piva]]],
              ['ProgressivoInvio', prog],
              ['FormatoTrasmissione', 'FPR12'],
              ['CodiceDestinatario', to.code],
              to.pec && ['PECDestinatario', to.pec],
            ],
          ],
          [
            'CedentePrestatore',
            [
              [
                'DatiAnagrafici',
                [
                  ['IdFiscaleIVA', [['IdPaese', 'IT'], ['IdCodice', piva]]],
                  ['Anagrafica', [['Denominazione', latin1(seller.name, 80)]]],
                  ['RegimeFiscale', seller.regimeFiscale],
                ],
              ],
              ['Sede', [['Indirizzo', latin1(street, 60)], ['CAP', place.cap], ['Comune', latin1(place.comune, 60)], place.provincia && ['Provincia', place.provincia], ['Nazione', 'IT']]],
            ],
          ],
          [
            'CessionarioCommittente',
            [
              ['DatiAnagrafici', [buyerTaxId(buyer.country, buyer.taxId), buyerIt && buyer.codiceFiscale && ['CodiceFiscale', buyer.codiceFiscale], ['Anagrafica', [['Denominazione', latin1(buyer.name, 80) || '-']]]]],
              [
                'Sede',
                [
                  ['Indirizzo', latin1(buyer.addressLine, 60) || '-'],
                  // A foreign buyer's postal code doesn't fit the five digits of a CAP: 00000, as SdI asks.
                  ['CAP', buyerIt && /^\d{5}$/.test(buyer.postalCode) ? buyer.postalCode : '00000'],
                  ['Comune', latin1(buyer.city, 60) || '-'],
                  ['Nazione', buyer.country.toUpperCase()],
                ],
              ],
            ],
          ],
        ],
      ],
      [
        'FatturaElettronicaBody',
        [
          [
            'DatiGenerali',
            [
              [
                'DatiGeneraliDocumento',
                [
                  ['TipoDocumento', 'TD01'],
                  ['Divisa', input.currency],
                  ['Data', input.issueDate],
                  ['Numero', input.number],
                  ['ImportoTotaleDocumento', decimal2(input.totals.grossMinor)],
                ],
              ],
            ],
          ],
          [
            'DatiBeniServizi',
            [
              ...input.lines.map(
                (line, i): Node => [
                  'DettaglioLinee',
                  [
                    ['NumeroLinea', String(i + 1)],
                    ['Descrizione', latin1(line.label, 1000) || '-'],
                    ['Quantita', `${line.quantity}.00`],
                    ['PrezzoUnitario', decimal2(line.unitNetMinor)],
                    ['PrezzoTotale', decimal2(line.netMinor)],
                    ['AliquotaIVA', rate2(line.vatRateBp)],
                    ...nature,
                  ],
                ],
              ),
              ...input.totals.byRate.map(
                (r): Node => [
                  'DatiRiepilogo',
                  [
                    ['AliquotaIVA', rate2(Math.round(r.ratePercent * 100))],
                    ...nature,
                    ['ImponibileImporto', decimal2(r.netMinor)],
                    ['Imposta', decimal2(r.vatMinor)],
                    // Immediate VAT for taxed lines; a non-taxable one (Natura) states its legal ground instead.
                    reverse ? ['RiferimentoNormativo', REVERSE_CHARGE_REFERENCE] : ['EsigibilitaIVA', 'I'],
                  ],
                ],
              ),
            ],
          ],
          [
            'DatiPagamento',
            [
              ['CondizioniPagamento', 'TP02'],
              [
                'DettaglioPagamento',
                [
                  ['ModalitaPagamento', PAYMENT_MODES[input.paymentMethod]],
                  ['ImportoPagamento', decimal2(input.totals.grossMinor)],
                  input.paymentMethod === 'transfer' && ['IBAN', seller.bankAccount.replace(/\s/g, '').toUpperCase()],
                ],
              ],
            ],
          ],
        ],
      ],
    ],
    { versione: 'FPR12', 'xmlns:p': FATTURAPA_NAMESPACE },
  ]
  return { fileName: `IT${piva}_${prog}.xml`, xml: xmlDocument(root) }
}

/**
 * The buyer's IdFiscaleIVA: its VAT number (prefix as country); a buyer without one gets its
 * country and the conventional 99999999999, the identifier SdI accepts for a party without a VAT
 * number. An Italian private person has none: they are named by their CodiceFiscale instead (an
 * order from before checkout asked for it has none, and SdI refuses that file: docs/einvoices.md).
 */
function buyerTaxId(country: string, taxId: string | null): Node | null {
  const id = taxId?.toUpperCase().replace(/\s/g, '') ?? ''
  if (id && isEu(country) && /^[A-Z]{2}[A-Z0-9+*]+$/.test(id)) return ['IdFiscaleIVA', [['IdPaese', id.slice(0, 2)], ['IdCodice', id.slice(2, 30)]]]
  if (id) return ['IdFiscaleIVA', [['IdPaese', country.toUpperCase()], ['IdCodice', id.slice(0, 28)]]]
  if (country.toUpperCase() === 'IT') return null
  return ['IdFiscaleIVA', [['IdPaese', country.toUpperCase()], ['IdCodice', '99999999999']]]
}
