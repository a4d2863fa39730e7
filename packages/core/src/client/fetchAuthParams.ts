import { unexpectedReply, withTimeout } from './signals'
import { UploadError } from './UploadError'

/** What the app's authentication endpoint returns (spec section 6). */
export interface AuthParams {
  token: string
  expire: number
  signature: string
}

/** Gets fresh auth parameters; called once for every upload attempt, retries included. */
export type Authenticator = (context: { signal: AbortSignal }) => Promise<AuthParams> | AuthParams

/** How the client gets its auth parameters. */
export interface AuthConfig {
  /** URL of the app's backend route that answers GET with `{token, expire, signature}`. */
  authenticationEndpoint?: string
  /** A function that returns the auth parameters; takes precedence over `authenticationEndpoint`. */
  authenticator?: Authenticator
  /** Extra request options (headers, credentials) for the auth request, or a function that returns them. @default none */
  authenticationRequest?: RequestInit | (() => RequestInit | Promise<RequestInit>)
  /** Milliseconds to wait for the auth reply. @default 10000 */
  authTimeout?: number
}

/**
 * Fetches fresh auth parameters with `cache: "no-store"` (a reused token is refused), and checks the
 * reply so that a misconfigured endpoint gets an error that names it and what was wrong.
 */
export async function fetchAuthParams(config: AuthConfig, signal?: AbortSignal): Promise<AuthParams> {
  const {
    authenticationEndpoint: url,
    authenticator,
    authenticationRequest: init,
    authTimeout = 10_000,
  } = config
  const source = authenticator ? 'authenticator()' : `The authentication endpoint ${url}`
  const fail = (what: string, status?: number): UploadError =>
    new UploadError('auth', `${source} ${what}`, { status })
  // biome-ignore lint/suspicious/noExplicitAny: the reply is checked field by field below
  const reply: any = await withTimeout(
    signal,
    source,
    async (timed) => {
      if (authenticator) return authenticator({ signal: timed })
      if (!url) throw new UploadError('auth', 'Set authenticationEndpoint or authenticator.')
      const response = await fetch(url, {
        ...(typeof init === 'function' ? await init() : init),
        method: 'GET',
        cache: 'no-store',
        signal: timed,
      })
      const { status } = response
      const text = await response.text()
      try {
        if (response.ok) return JSON.parse(text)
      } catch {}
      // The status rides along so that a 5xx or 429 is retried like the upload's own.
      throw fail(unexpectedReply(status, text), status)
    },
    // An unreachable endpoint is a network failure (retried); a throwing authenticator() is not.
    authenticator ? 'auth' : 'network',
    authTimeout,
  )
  const params = { token: reply?.token, signature: reply?.signature, expire: +reply?.expire }
  // A number for `expire` (the wire sends its canonical decimal), non-empty strings for the rest.
  for (const [name, value] of Object.entries(params))
    if (!value || (name !== 'expire' && typeof value !== 'string')) throw fail(`returned no "${name}".`)
  if (params.expire <= Date.now() / 1000) throw fail(`returned an "expire" (${reply.expire}) in the past.`)
  return params
}
