// `npm start` without KSeF settings: the fake KSeF runs in the server's process and takes the
// invoices, so KSeF numbers appear locally; production never starts a fake, and without a document
// builder nothing is sent.
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import { startDevFakes } from '../../src/einvoice/dev'
import { channelFor, einvoicingFor, ratesFor } from '../../src/einvoice'
import { NbpClient } from '../../src/einvoice/nbp/client'
import { isKsefNumber } from '../../src/einvoice/ksef/number'
import { PRODUCTION_ENV } from '../helpers/production-env'
import { fa3Document } from './fixtures/fa3'

describe('e-invoicing in development', () => {
  it('starts the fake KSeF in process for a Polish seller, and it gives KSeF numbers', async () => {
    const config = loadConfig({ KONTOR_ENV: 'development' })
    const { fakes, close } = await startDevFakes(config)
    try {
      const channel = channelFor(config.einvoice, fakes)!
      expect(channel.name).toBe('ksef')
      const [outcome] = await channel.send([{ invoiceId: 'dev', document: fa3Document({ nip: '5260250274', number: 'FV/2026/000001' }) }])
      expect(outcome!.status).toBe('accepted')
      expect(isKsefNumber((outcome as { number: string }).number)).toBe(true)
      // Beside it a fake NBP with made-up rates on working days, so invoices in euro get their VAT in złoty.
      const rates = einvoicingFor(config.einvoice, undefined, fakes)!.rates!
      expect(await rates.rate('EUR', '2026-12-04')).toMatchObject({ status: 'found', rate: { currency: 'EUR', day: '2026-12-04', rate: expect.stringMatching(/^4\.\d{1,4}$/) } })
      // A Sunday has no table: Friday's stands, as the NBP's would.
      expect(await rates.rate('EUR', '2026-12-06')).toMatchObject({ status: 'found', rate: { day: '2026-12-06', effectiveDate: '2026-12-04' } })
    } finally {
      await close()
    }
  }, 30_000)

  it('starts the fake SdI intermediary for an Italian seller', async () => {
    const config = loadConfig({ KONTOR_ENV: 'development', VENDOR_COUNTRY: 'IT', VENDOR_TAX_ID: 'IT00743110157' })
    const { fakes, close } = await startDevFakes(config)
    try {
      expect(channelFor(config.einvoice, fakes)?.name).toBe('sdi')
    } finally {
      await close()
    }
  })

  it('starts nothing in production, nor with EINVOICE=off, and sends nothing without a document builder', async () => {
    const production = loadConfig({ ...PRODUCTION_ENV, EINVOICE: undefined, KSEF_ENV: 'test', KSEF_TOKEN: 't' }, { kind: 'node', host: '0.0.0.0' })
    expect((await startDevFakes(production)).fakes).toEqual({})
    expect(channelFor(production.einvoice)?.name).toBe('ksef')
    // Production asks the NBP itself (NBP_URL may name another https address).
    expect(ratesFor(production.einvoice)).toBeInstanceOf(NbpClient)
    expect((ratesFor(production.einvoice) as NbpClient).base).toBe('https://api.nbp.pl/api')
    expect(einvoicingFor(production.einvoice, null)).toBeNull()
    expect(channelFor(loadConfig({ KONTOR_ENV: 'development', EINVOICE: 'off' }).einvoice)).toBeNull()
    // A Worker in development: no fake can run there, so nothing is sent.
    expect(channelFor(loadConfig({ KONTOR_ENV: 'development' }).einvoice)).toBeNull()
  })
})
