// Which environment Kontor runs in. Production is the default wherever it is not plainly local, so
// a forgotten variable can never open development's doors (demo sign-ins, /dev/mail, the test
// payment provider) on a public address:
//   - a Worker is production, except `wrangler dev` on this machine: KONTOR_ENV=development (or
//     test) together with a plain-http loopback BASE_URL, which no deployed Worker is reached at;
//   - the Node server is development when KONTOR_ENV says so, or when it listens on loopback and no
//     BASE_URL is set (`npm start` as it comes); anything else is production;
//   - command-line scripts follow KONTOR_ENV, else development without a BASE_URL.
// NODE_ENV counts when KONTOR_ENV is unset.

export type Environment = 'production' | 'development' | 'test'

/** Where the configuration is read: the Node server (its listening address), a Worker, or a script. */
export type Runtime = { kind: 'node'; host: string; port?: number } | { kind: 'worker' } | { kind: 'script' }

type Env = Record<string, string | undefined>

export function resolveEnvironment(env: Env, runtime: Runtime): Environment {
  const named = env.KONTOR_ENV?.trim() || env.NODE_ENV?.trim() || undefined
  const explicit = named === 'production' || named === 'development' || named === 'test' ? named : undefined
  switch (runtime.kind) {
    case 'worker':
      return explicit && explicit !== 'production' && isLoopbackHttp(env.BASE_URL) ? explicit : 'production'
    case 'node':
      if (explicit) return explicit
      return isLoopbackHost(runtime.host) && !env.BASE_URL ? 'development' : 'production'
    case 'script':
      return explicit ?? (env.BASE_URL ? 'production' : 'development')
  }
}

/** 127.0.0.0/8, ::1 and localhost: addresses no other machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '')
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h)
}

function isLoopbackHttp(baseUrl: string | undefined): boolean {
  if (!baseUrl) return false
  try {
    const url = new URL(baseUrl)
    return url.protocol === 'http:' && isLoopbackHost(url.hostname)
  } catch {
    return false
  }
}
