import { abortError, withTimeout } from './signals'
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
  const { authenticationEndpoint: url, authenticator, authenticationRequest, authTimeout = 10_000 } = config
  const source = authenticator ? 'authenticator()' : `The authentication endpoint ${url}`
  const fail = (what: string, cause?: unknown, status?: number): UploadError =>
    new UploadError('auth', `${source} ${what}`, { status }, { cause })
  const timed = withTimeout(signal, authTimeout)
  let reply: unknown
  try {
    timed.throwIfAborted()
    if (authenticator) {
      // A user function may ignore the signal: race it so that abort and timeout still win.
      reply = await Promise.race([
        authenticator({ signal: timed }),
        new Promise((_, reject) => timed.addEventListener('abort', () => reject(timed.reason))),
      ])
    } else {
      if (!url) throw new UploadError('auth', 'Set authenticationEndpoint or authenticator to sign uploads.')
      const init =
        typeof authenticationRequest === 'function' ? await authenticationRequest() : authenticationRequest
      const response = await fetch(url, { ...init, method: 'GET', cache: 'no-store', signal: timed })
      const text = await response.text()
      // The status rides along so that a 5xx or 429 is retried like the upload's own.
      if (!response.ok)
        throw fail(`answered HTTP ${response.status} instead of auth parameters.`, 0, response.status)
      try {
        reply = JSON.parse(text)
      } catch (error) {
        throw fail(`did not return JSON (it starts with ${JSON.stringify(text.slice(0, 40))}).`, error)
      }
    }
  } catch (error) {
    if (timed.aborted) throw abortError(timed, 'Fetching auth parameters')
    if (error instanceof UploadError) throw error
    // An unreachable endpoint is a network failure (retried); a throwing authenticator() is not.
    throw new UploadError(
      authenticator ? 'auth' : 'network',
      `${source} failed: ${(error as Error)?.message ?? error}`,
      {},
      {
        cause: error,
      },
    )
  }
  const { token, expire, signature } = (reply ?? {}) as Record<string, unknown>
  const expireSeconds = Number(expire)
  const missing =
    !token || typeof token !== 'string'
      ? 'token'
      : !signature || typeof signature !== 'string'
        ? 'signature'
        : !expireSeconds
          ? 'expire'
          : ''
  if (missing) throw fail(`returned no "${missing}".`)
  if (expireSeconds <= Date.now() / 1000) throw fail(`returned an "expire" (${expire}) in the past.`)
  return { token, expire: expireSeconds, signature } as AuthParams
}
