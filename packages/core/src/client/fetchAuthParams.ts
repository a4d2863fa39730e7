import { unexpectedReply, withTimeout } from './signals'
import { UploadError } from './UploadError'

/** What the app's authentication endpoint returns (spec section 6). */
export interface AuthParams {
  token: string
  expire: number
  signature: string
}

/** What a v2 `authenticator()` returns, as a v2 auth endpoint answers (`signV2`). */
export interface V2AuthReply {
  /** The HS256 JWT that signs `fields` (its payload holds them, plus `iat` and `exp`). */
  token: string
  /** The fields the backend approved, possibly rewritten (a forced folder), as wire strings. */
  fields: Record<string, string>
}

/** What an `authenticator()` gets: the attempt's signal, and the fields the upload means to send. */
export interface AuthenticatorContext {
  /** Aborts when the upload is cancelled or `authTimeout` passes. */
  signal: AbortSignal
  /** The upload's fields as wire strings, without `file` and the auth fields. v1 may ignore them; v2 signs them. */
  fields: Record<string, string>
}

/**
 * Gets fresh auth for one upload attempt; called once for every attempt, retries included. With
 * the default `signV1` it returns `{token, expire, signature}`; with `signV2`, `{token, fields}`.
 */
export type Authenticator = (
  context: AuthenticatorContext,
) => Promise<AuthParams | V2AuthReply> | AuthParams | V2AuthReply

/** How the client gets its auth parameters. */
export interface AuthConfig {
  /**
   * URL of the app's backend route: with `signV1` it answers GET with `{token, expire, signature}`;
   * with `signV2` it answers a POST of `{fields}` with `{token, fields}`. @default none
   */
  authenticationEndpoint?: string
  /** A function that returns the auth reply instead of a request; takes precedence over `authenticationEndpoint`. @default none */
  authenticator?: Authenticator
  /** Extra request options (headers, credentials) for the auth request, or a function that returns them. @default none */
  authenticationRequest?: RequestInit | (() => RequestInit | Promise<RequestInit>)
  /** Milliseconds to wait for the auth reply. @default 10000 */
  authTimeout?: number
}

/**
 * Fetches fresh v1 auth parameters with `cache: "no-store"` (a reused token is refused), and checks
 * the reply so that a misconfigured endpoint gets an error that says what was wrong (without its URL,
 * which the app knows: a message is shown and read aloud).
 * `fields` (the upload's) are passed to `authenticator()`; the GET request does not send them.
 */
export async function fetchAuthParams(
  config: AuthConfig,
  signal?: AbortSignal,
  fields?: Record<string, string>,
): Promise<AuthParams> {
  const {
    authenticationEndpoint: url,
    authenticator,
    authenticationRequest: init,
    authTimeout = 10_000,
  } = config
  const source = authenticator ? 'authenticator()' : 'The authentication endpoint'
  const fail = (what: string, status?: number): UploadError =>
    new UploadError('auth', `${source} ${what}`, { status })
  // biome-ignore lint/suspicious/noExplicitAny: the reply is checked field by field below
  const reply: any = await withTimeout(
    signal,
    source,
    async (timed) => {
      // `fields` is typed as always there for authenticators; a direct caller of this function may omit it.
      if (authenticator) return authenticator({ signal: timed, fields: fields as Record<string, string> })
      if (!url) throw new UploadError('auth', 'Set authenticationEndpoint or authenticator.')
      // GET, fetch's default (a `method` in authenticationRequest is the caller's to set).
      const response = await fetch(url, {
        ...(typeof init === 'function' ? await init() : init),
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
