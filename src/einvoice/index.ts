// Picks the e-invoicing channel for the configuration (src/config-einvoice.ts), on Node and in a
// Worker alike; the fakes' addresses come from src/einvoice/dev.ts on Node in development.
import type { EInvoiceConfig } from '../config-einvoice'
import type { EInvoiceChannel, EInvoiceDocumentFn, EInvoicing } from './channel'
import { KsefChannel } from './ksef/channel'
import { SdiChannel } from './sdi/channel'
import { einvoiceDocument } from './document'
import { NbpClient, type RateSource } from './nbp/client'

/** The document builder the job uses: the invoice's FA(3) or FatturaPA, from its stored data (src/einvoice/document.ts). */
export const EINVOICE_DOCUMENT: EInvoiceDocumentFn | null = einvoiceDocument

/** Where the local fakes listen, with the secrets they were started with (development on Node). */
export type FakeEndpoints = { ksef?: { url: string; token: string }; sdi?: { url: string; apiKey: string; webhookSecret: string }; nbp?: { url: string } }

export function channelFor(config: EInvoiceConfig, fakes: FakeEndpoints = {}): EInvoiceChannel | null {
  switch (config.mode) {
    case 'off':
      return null
    case 'ksef':
      return new KsefChannel({ apiBase: config.apiBase, token: config.token, nip: config.nip })
    case 'sdi':
      return new SdiChannel(config)
    case 'fake':
      // A Worker in development has no fake to talk to (they need Node): e-invoicing is off there.
      if (config.channel === 'ksef') return fakes.ksef ? new KsefChannel({ apiBase: fakes.ksef.url, token: fakes.ksef.token, nip: config.nip }) : null
      return fakes.sdi ? new SdiChannel({ apiBase: fakes.sdi.url, apiKey: fakes.sdi.apiKey, webhookSecret: fakes.sdi.webhookSecret }) : null
  }
}

/** Where a Polish seller's job asks for NBP rates: NBP_URL or the NBP's own; in development without NBP_URL, the fake NBP. */
export function ratesFor(config: EInvoiceConfig, fakes: FakeEndpoints = {}): RateSource | null {
  if (config.mode === 'ksef') return new NbpClient(config.nbpUrl)
  if (config.mode === 'fake' && config.channel === 'ksef') {
    const url = config.nbpUrl ?? fakes.nbp?.url
    return url ? new NbpClient(url) : null
  }
  return null
}

export function einvoicingFor(config: EInvoiceConfig, document: EInvoiceDocumentFn | null = EINVOICE_DOCUMENT, fakes: FakeEndpoints = {}): EInvoicing | null {
  const channel = channelFor(config, fakes)
  return channel && document ? { channel, document, rates: ratesFor(config, fakes) } : null
}
