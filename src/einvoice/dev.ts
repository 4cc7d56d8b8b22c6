// Development on Node (`npm start`, `npm run dev`): starts the fake KSeF or the fake SdI
// intermediary in the server's own process when no real settings are given, so a newcomer sees
// KSeF numbers (or SdI's notifications) appear on invoices without any account at the Ministry.
// Never in production: there src/config-einvoice.ts requires the real settings or EINVOICE=off.
import type { Config } from '../config'
import type { FakeEndpoints } from './index'

const DEV_KSEF_TOKEN = 'kontor-development-ksef-token'
const DEV_SDI_KEY = 'kontor-development-sdi-key'
const DEV_SDI_SECRET = 'kontor-development-sdi-webhook-secret'

export async function startDevFakes(config: Config): Promise<{ fakes: FakeEndpoints; close: () => Promise<void> }> {
  const e = config.einvoice
  if (e.mode !== 'fake' || config.environment === 'production') return { fakes: {}, close: async () => {} }
  if (e.channel === 'ksef') {
    const { startFakeKsef } = await import('./ksef/fake-server')
    const fake = await startFakeKsef({ tokens: { [DEV_KSEF_TOKEN]: e.nip } })
    // Invoices in euro need the NBP's rates: made-up ones, unless NBP_URL names an NBP to ask.
    if (e.nbpUrl) return { fakes: { ksef: { url: fake.url, token: DEV_KSEF_TOKEN } }, close: fake.close }
    const { startFakeNbp } = await import('./nbp/fake-server')
    const nbp = await startFakeNbp({ synthetic: true })
    return {
      fakes: { ksef: { url: fake.url, token: DEV_KSEF_TOKEN }, nbp: { url: nbp.url } },
      close: async () => {
        await Promise.all([fake.close(), nbp.close()])
      },
    }
  }
  const { startFakeSdi } = await import('./sdi/fake-intermediary')
  const webhook = `${config.baseUrl}/webhooks/sdi`
  const fake = await startFakeSdi({
    apiKey: DEV_SDI_KEY,
    webhookSecret: DEV_SDI_SECRET,
    autoDeliverMs: 2000,
    deliver: (body, headers) => fetch(webhook, { method: 'POST', body, headers }),
  })
  return { fakes: { sdi: { url: fake.url, apiKey: DEV_SDI_KEY, webhookSecret: DEV_SDI_SECRET } }, close: fake.close }
}
