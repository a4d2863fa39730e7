import { MAX_EXPIRE_AHEAD_SECONDS } from '@ik-upload/core/protocol'
import { DEFAULT_EXPIRE_IN_SECONDS, getAuthenticationParameters } from './getAuthenticationParameters'

/** Which browser origins may call the endpoint cross-origin. */
export type AllowedOrigins = '*' | readonly string[] | ((origin: string) => boolean)

/** What `createAuthHandler` takes. */
export interface AuthHandlerOptions {
  /** The account's private key; it signs, and never leaves the server. */
  privateKey: string
  /** Seconds each signature stays valid; below 3600, since the upload API refuses `expire` an hour or more ahead. @default 1800 */
  expireIn?: number
  /**
   * Decides whether a request may get upload parameters, e.g. by checking the session cookie. An
   * open signing endpoint lets anyone on the internet upload into the account, so production apps
   * should set this. Return `true` to allow, `false` for a 401, or a `Response` to answer with it.
   * @default every request is allowed
   */
  authorize?: (request: Request) => boolean | Response | Promise<boolean | Response>
  /**
   * Origins that may call the endpoint from a browser on another origin (CORS): `'*'`, a list of
   * exact origins such as `['https://app.example']`, or a predicate. Without it no CORS header is
   * sent, so only same-origin pages (and servers) can read the answer.
   * @default none (same-origin only)
   */
  allowedOrigins?: AllowedOrigins
  /** Send `Access-Control-Allow-Credentials: true` so cross-origin requests may carry cookies; ignored with `'*'`. @default false */
  allowCredentials?: boolean
}

/** A Fetch-API handler: Next.js route handlers, Hono, Bun.serve, Deno.serve, workers. */
export type FetchHandler = (request: Request) => Promise<Response>

const JSON_TYPE = 'application/json; charset=utf-8'

function isAllowedOrigin(allowed: AllowedOrigins | undefined, origin: string | null): origin is string {
  if (!allowed || !origin) return false
  if (allowed === '*') return true
  return typeof allowed === 'function' ? allowed(origin) : allowed.includes(origin)
}

/**
 * Creates the app's authentication endpoint (spec section 6): `GET` answers fresh
 * `{token, expire, signature}` JSON with `Cache-Control: no-store` (a cached answer would hand two
 * uploads one token, and the second would be refused). `OPTIONS` answers CORS preflights; every
 * other method gets 405. Throws at once when `privateKey` is missing or `expireIn` is out of range,
 * so a misconfigured app fails at start-up rather than on the first upload.
 */
export function createAuthHandler(options: AuthHandlerOptions): FetchHandler {
  const {
    privateKey,
    expireIn = DEFAULT_EXPIRE_IN_SECONDS,
    authorize,
    allowedOrigins,
    allowCredentials,
  } = options ?? {}
  if (!privateKey || typeof privateKey !== 'string')
    throw new TypeError('createAuthHandler: privateKey is required to sign upload tokens.')
  if (!Number.isInteger(expireIn) || expireIn < 1 || expireIn >= MAX_EXPIRE_AHEAD_SECONDS)
    throw new RangeError(
      `createAuthHandler: expireIn must be a whole number of seconds from 1 to ${MAX_EXPIRE_AHEAD_SECONDS - 1}, got ${expireIn}.`,
    )

  const corsHeaders = (request: Request): Record<string, string> => {
    if (!allowedOrigins) return {}
    const origin = request.headers.get('origin')
    // The answer depends on Origin whenever CORS is configured, so shared caches must key on it.
    const headers: Record<string, string> = { Vary: 'Origin' }
    if (!isAllowedOrigin(allowedOrigins, origin)) return headers
    if (allowedOrigins === '*' && !allowCredentials) headers['Access-Control-Allow-Origin'] = '*'
    else {
      headers['Access-Control-Allow-Origin'] = origin
      if (allowCredentials) headers['Access-Control-Allow-Credentials'] = 'true'
    }
    return headers
  }

  const json = (request: Request, status: number, body: unknown, extra: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store', ...corsHeaders(request), ...extra },
    })

  return async (request) => {
    if (request.method === 'OPTIONS') {
      const cors = corsHeaders(request)
      if (cors['Access-Control-Allow-Origin']) {
        cors['Access-Control-Allow-Methods'] = 'GET, OPTIONS'
        // Echo what the client asked for: apps send their own headers (Authorization, X-CSRF...).
        const asked = request.headers.get('access-control-request-headers')
        if (asked) cors['Access-Control-Allow-Headers'] = asked
        cors['Access-Control-Max-Age'] = '600'
      }
      return new Response(null, { status: 204, headers: { Allow: 'GET, OPTIONS', ...cors } })
    }
    if (request.method !== 'GET')
      return json(
        request,
        405,
        { message: `Method ${request.method} not allowed; use GET.` },
        { Allow: 'GET, OPTIONS' },
      )
    if (authorize) {
      let verdict: boolean | Response
      try {
        verdict = await authorize(request)
      } catch {
        // Never leak the app's error to a stranger; the app logs in its own authorize().
        return json(request, 500, { message: 'The authorization check failed.' })
      }
      if (verdict instanceof Response) return verdict
      if (verdict !== true) return json(request, 401, { message: 'Not authorized to upload.' })
    }
    const expire = Math.floor(Date.now() / 1000) + expireIn
    return json(request, 200, await getAuthenticationParameters({ privateKey, expire }))
  }
}
