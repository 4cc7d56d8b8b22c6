// Runs the fake KSeF on its own (src/einvoice/ksef/fake-server.ts), e.g. for a Kontor started with
// KSEF_URL pointing at it, or to try the client by hand:
//   KSEF_TOKEN=my-token VENDOR_TAX_ID=PL5260250274 npm run fake:ksef -- --port 8790
// then KSEF_URL=http://127.0.0.1:8790/v2 KSEF_TOKEN=my-token npm start. Never for production.
import { nipOf } from '../src/config-einvoice'
import { startFakeKsef } from '../src/einvoice/ksef/fake-server'

const portArg = process.argv.indexOf('--port')
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 8790
const token = process.env.KSEF_TOKEN || 'kontor-development-ksef-token'
const nip = nipOf(process.env.VENDOR_TAX_ID || 'PL5260250274')
if (!nip || !Number.isInteger(port)) {
  console.error('VENDOR_TAX_ID must hold a 10-digit NIP and --port a number')
  process.exit(1)
}
const fake = await startFakeKsef({ tokens: { [token]: nip }, port })
fake.keepAlive()
console.log(`Fake KSeF at ${fake.url} — token "${token}" for NIP ${nip}; invoices are checked against einvoice/pl/fa3 with xmllint.`)
