import { MAX_EXPIRE_AHEAD_SECONDS } from '@ik-upload/core/protocol'
import { DEFAULT_EXPIRE_IN_SECONDS, getAuthenticationParameters } from './getAuthenticationParameters'

/**
 * Which browser origins may call the endpoint cross-origin: `'*'`, a list of exact origins, or a
 * predicate (which may be async) that allows an origin by returning `true`.
 */
export type AllowedOrigins = '*' | readonly string[] | ((origin: string) => boolean | Promise<boolean>)

/** What `createAuthHandler` takes. */
export interface AuthHandlerOptions {
  /** The account's private key; it signs, and never leaves the server. */
  privateKey: string
  /** Seconds each signature stays valid; below 3600, since the upload API refuses `expire` an hour or more ahead. @default 1800 */
  expireIn?: number
  /**
   * Decides whether a request may get upload parameters, e.g. by checking the session cookie. An
   * open signing endpoint lets anyone on the internet upload into the account, so production apps
   * should set this. Return `true` to allow, `false` (or anything else) for a 401, or a `Response`
   * to answer with it: that `Response` gets the handler's CORS headers (any
   * `Access-Control-Allow-Origin`/`-Credentials` of its own are replaced), `Vary: Origin` added
   * and `Cache-Control: no-store`, like the handler's own answers. A throw answers a 500 that says
   * nothing of the error.
   * @default every request is allowed
   */
  authorize?: (request: Request) => boolean | Response | Promise<boolean | Response>
  /**
   * Origins whose pages may read the endpoint's answers from another origin (CORS).
   * - `'*'`: every answer carries `Access-Control-Allow-Origin: *` (the same for every caller, so
   *   no `Vary`); pages cannot read an answer to a request sent with cookies. Cannot be combined
   *   with `allowCredentials`.
   * - A list of exact origins, as browsers send them (`['https://app.example']`: scheme, host,
   *   port, no path or trailing slash): a listed `Origin` is echoed back. An http(s) entry that is
   *   not an origin so spelled (`'https://app.example/'`) throws at creation, naming the fix.
   * - A predicate `(origin) => boolean | Promise<boolean>`: an origin for which it returns exactly
   *   `true` is echoed back; if it throws or rejects, the request is answered with a 500.
   *
   * With a list or a predicate every answer carries `Vary: Origin`. `Origin: null` (sandboxed
   * iframes, `file:` pages, some redirects: any site can produce it) is never allowed, and the
   * predicate never sees it; a list containing `'null'` or `'*'` throws at creation. Without this
   * option no CORS header is sent, so only same-origin pages (and servers) can read the answer.
   * @default none (same-origin only)
   */
  allowedOrigins?: AllowedOrigins
  /**
   * Send `Access-Control-Allow-Credentials: true` with an allowed origin's echo, so that its pages
   * may call with cookies. Only with a list or a predicate of origins you trust: combined with
   * `allowedOrigins: '*'` it would let every website on the internet fetch upload tokens with your
   * users' cookies, so `createAuthHandler` throws. Without `allowedOrigins` it does nothing.
   * @default false
   */
  allowCredentials?: boolean
}

/** A Fetch-API handler: Next.js route handlers, Hono, Bun.serve, Deno.serve, workers. */
export type FetchHandler = (request: Request) => Promise<Response>

const JSON_TYPE = 'application/json; charset=utf-8'
const ALLOW = 'GET, OPTIONS'

/** Throws when `allowedOrigins` (with `allowCredentials`) is one that cannot be what the app meant. */
function checkCorsOptions(allowed: unknown, allowCredentials: unknown): void {
  if (allowed === undefined || allowed === null) return
  if (allowed === '*') {
    if (allowCredentials)
      throw new TypeError(
        "createAuthHandler: allowedOrigins '*' cannot be combined with allowCredentials: true: every " +
          "website on the internet could then fetch upload tokens with your users' cookies. List the " +
          "origins that may call with credentials, e.g. allowedOrigins: ['https://app.example'].",
      )
    return
  }
  if (typeof allowed === 'function') return
  if (!Array.isArray(allowed))
    throw new TypeError(
      `createAuthHandler: allowedOrigins must be '*', a list of origins or a predicate, got ${JSON.stringify(allowed)}` +
        (typeof allowed === 'string' ? `; for one origin write [${JSON.stringify(allowed)}].` : '.'),
    )
  for (const entry of allowed as unknown[]) {
    if (typeof entry !== 'string')
      throw new TypeError(
        `createAuthHandler: allowedOrigins lists ${JSON.stringify(entry)}, which is not an origin.`,
      )
    if (entry === '*')
      throw new TypeError(
        "createAuthHandler: '*' in an allowedOrigins list matches no origin; write allowedOrigins: '*' to allow every origin (without credentials).",
      )
    if (entry === 'null')
      throw new TypeError(
        "createAuthHandler: allowedOrigins cannot list 'null': sandboxed iframes and file: pages send it, and any website can make one.",
      )
    // A path, a trailing slash or capitals never match what a browser sends for http(s) pages.
    if (/^https?:/i.test(entry)) {
      let origin: string | undefined
      try {
        origin = new URL(entry).origin
      } catch {
        // Not a URL at all: `origin` stays undefined and the entry is refused below.
      }
      if (origin !== entry)
        throw new TypeError(
          `createAuthHandler: allowedOrigins lists ${JSON.stringify(entry)}, which is not an origin as browsers send it` +
            (origin ? `; write ${JSON.stringify(origin)}.` : '.'),
        )
    }
  }
}

/** Adds `Origin` to a response's `Vary` list, keeping what is there. */
function varyOnOrigin(headers: Headers): void {
  const vary = headers.get('vary')
  if (!vary) headers.set('Vary', 'Origin')
  else if (!vary.split(',').some((name) => ['origin', '*'].includes(name.trim().toLowerCase())))
    headers.set('Vary', `${vary}, Origin`)
}

/**
 * Creates the app's authentication endpoint (spec section 6): `GET` answers fresh
 * `{token, expire, signature}` JSON with `Cache-Control: no-store` (a cached answer would hand two
 * uploads one token, and the second would be refused). `OPTIONS` answers CORS preflights by the
 * same origin rules (an allowed origin also gets `Access-Control-Allow-Methods: GET, OPTIONS`, the
 * requested headers echoed and `Access-Control-Max-Age: 600`); every other method gets 405. The
 * CORS headers of `allowedOrigins`/`allowCredentials` go on every answer, `authorize()`'s own
 * `Response` included. Throws at once when `privateKey` is missing, `expireIn` is out of range or
 * the CORS options are unsafe or malformed (`'*'` with `allowCredentials`), so a misconfigured app
 * fails at start-up rather than on the first upload.
 */
export function createAuthHandler(options: AuthHandlerOptions): FetchHandler {
  const {
    privateKey,
    expireIn = DEFAULT_EXPIRE_IN_SECONDS,
    authorize,
    allowedOrigins,
    allowCredentials = false,
  } = options ?? {}
  if (!privateKey || typeof privateKey !== 'string')
    throw new TypeError('createAuthHandler: privateKey is required to sign upload tokens.')
  if (!Number.isInteger(expireIn) || expireIn < 1 || expireIn >= MAX_EXPIRE_AHEAD_SECONDS)
    throw new RangeError(
      `createAuthHandler: expireIn must be a whole number of seconds from 1 to ${MAX_EXPIRE_AHEAD_SECONDS - 1}, got ${expireIn}.`,
    )
  checkCorsOptions(allowedOrigins, allowCredentials)

  /**
   * The CORS headers for a request's answer. Rejects when the app's predicate throws or rejects.
   * `'*'` is the same for every caller, so it needs no `Vary`; with a list or a predicate the
   * answer depends on `Origin`, so shared caches must key on it, even for a request without one.
   */
  const corsHeaders = async (request: Request): Promise<Headers> => {
    const headers = new Headers()
    if (!allowedOrigins) return headers
    if (allowedOrigins === '*') {
      headers.set('Access-Control-Allow-Origin', '*')
      return headers
    }
    headers.set('Vary', 'Origin')
    const origin = request.headers.get('origin')
    // `null` is never echoed: any website can send it from a sandboxed iframe or a file: or data: page.
    if (!origin || origin === 'null') return headers
    const allowed =
      typeof allowedOrigins === 'function'
        ? // Exactly `true`: a truthy slip (a Promise, a string) must not open the endpoint.
          (await allowedOrigins(origin)) === true
        : allowedOrigins.includes(origin)
    if (!allowed) return headers
    headers.set('Access-Control-Allow-Origin', origin)
    if (allowCredentials) headers.set('Access-Control-Allow-Credentials', 'true')
    return headers
  }

  const json = (cors: Headers, status: number, body: unknown, extra: Record<string, string> = {}) => {
    const headers = new Headers(cors)
    headers.set('Content-Type', JSON_TYPE)
    headers.set('Cache-Control', 'no-store')
    for (const [name, value] of Object.entries(extra)) headers.set(name, value)
    return new Response(JSON.stringify(body), { status, headers })
  }

  /**
   * `authorize()`'s own answer with the handler's CORS and caching headers: a 403 that skipped
   * them could not even be read by the app's page, and one that set its own
   * `Access-Control-Allow-Origin` must not widen what `allowedOrigins` says. Copied, since the
   * Response's headers may be immutable (`Response.redirect()`, a `fetch()` answer).
   */
  const withHandlerHeaders = (response: Response, cors: Headers): Response => {
    const headers = new Headers(response.headers)
    headers.delete('Access-Control-Allow-Origin')
    headers.delete('Access-Control-Allow-Credentials')
    cors.forEach((value, name) => {
      if (name !== 'vary') headers.set(name, value)
    })
    if (cors.has('vary')) varyOnOrigin(headers)
    headers.set('Cache-Control', 'no-store')
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
  }

  return async (request) => {
    let cors: Headers
    try {
      cors = await corsHeaders(request)
    } catch {
      // The app's predicate failed: answer for it rather than leave the framework a rejection, and
      // never tell a stranger why. Nothing is allowed, but the answer still depends on Origin.
      return json(new Headers({ Vary: 'Origin' }), 500, { message: 'The origin check failed.' })
    }
    if (request.method === 'OPTIONS') {
      const headers = new Headers(cors)
      headers.set('Allow', ALLOW)
      if (cors.has('access-control-allow-origin')) {
        headers.set('Access-Control-Allow-Methods', ALLOW)
        // Echo what the client asked for: apps send their own headers (Authorization, X-CSRF...).
        const asked = request.headers.get('access-control-request-headers')
        if (asked) {
          headers.set('Access-Control-Allow-Headers', asked)
          headers.append('Vary', 'Access-Control-Request-Headers')
        }
        headers.set('Access-Control-Max-Age', '600')
      }
      return new Response(null, { status: 204, headers })
    }
    if (request.method !== 'GET')
      return json(cors, 405, { message: `Method ${request.method} not allowed; use GET.` }, { Allow: ALLOW })
    if (authorize) {
      let verdict: boolean | Response
      try {
        verdict = await authorize(request)
      } catch {
        // Never leak the app's error to a stranger; the app logs in its own authorize().
        return json(cors, 500, { message: 'The authorization check failed.' })
      }
      if (verdict instanceof Response) {
        try {
          return withHandlerHeaders(verdict, cors)
        } catch {
          // Response.error() (status 0) or a body already read cannot be sent on.
          return json(cors, 500, { message: 'The authorization check failed.' })
        }
      }
      if (verdict !== true) return json(cors, 401, { message: 'Not authorized to upload.' })
    }
    const expire = Math.floor(Date.now() / 1000) + expireIn
    return json(cors, 200, await getAuthenticationParameters({ privateKey, expire }))
  }
}
