// The HTTP load scenarios of `npm run bench` (autocannon, bench/load.ts): the sign-in page, the
// account page with a different fresh session each request, failed sign-ins with a different seeded
// account each, the big org's pages as its administrator, and the vendor API with its key.
import type { Scenario } from './load'
import type { BigOrg } from './seed'
import { SESSION_COOKIE } from './production-env'
import { loginBody, WRONG_PASSWORD } from './verify'

export function httpScenarios(o: { baseUrl: string; freshTokens: string[]; big: BigOrg; takeEmail: () => string }) {
  const bearer = { authorization: `Bearer ${o.big.apiKey}` }
  let tokenIndex = 0
  const rotateSession = (req: Record<string, unknown>) => ({
    ...req,
    headers: { ...(req.headers as Record<string, string>), cookie: `${SESSION_COOKIE}=${o.freshTokens[tokenIndex++ % o.freshTokens.length]}` },
  })
  const account = (connections: number): Scenario => ({
    label: `GET /account (signed in), ${connections} conn.`,
    url: `${o.baseUrl}/account`,
    connections,
    requests: [{ method: 'GET', path: '/account', setupRequest: rotateSession }],
  })
  const loginPage = (connections: number): Scenario => ({ label: `GET /login, ${connections} conn.`, url: `${o.baseUrl}/login`, connections })
  const wrongPassword = (connections: number): Scenario => ({
    label: `POST /login wrong password, ${connections} conn.`,
    url: `${o.baseUrl}/login`,
    connections,
    requests: [
      {
        method: 'POST',
        path: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: o.baseUrl },
        // A different seeded account every time: the throttle allows 5 attempts a minute per
        // e-mail and IP, and every request here comes from 127.0.0.1.
        setupRequest: (req) => ({ ...req, body: loginBody(o.takeEmail(), WRONG_PASSWORD) }),
      },
    ],
  })

  let adminIndex = 0
  const rotateAdmin = (req: Record<string, unknown>) => ({
    ...req,
    headers: { ...(req.headers as Record<string, string>), cookie: `${SESSION_COOKIE}=${o.big.adminTokens[adminIndex++ % o.big.adminTokens.length]}` },
  })
  const signedInAsAdmin = (label: string, path: string, connections: number): Scenario => ({
    label: `${label}, ${connections} conn.`,
    url: `${o.baseUrl}${path}`,
    connections,
    requests: [{ method: 'GET', path, setupRequest: rotateAdmin }],
  })
  const entitlements = (connections: number): Scenario => ({
    label: `GET /api/v1/entitlements, ${connections} conn.`,
    url: `${o.baseUrl}/api/v1/entitlements`,
    connections,
    headers: bearer,
  })
  // POST /api/v1/usage has its own load with exact accounting (bench/usage.ts).
  return { account, loginPage, wrongPassword, signedInAsAdmin, entitlements }
}
