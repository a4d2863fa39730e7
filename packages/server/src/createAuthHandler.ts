import { MAX_EXPIRE_AHEAD_SECONDS } from '@ik-upload/core/protocol'
import { type CorsOptions, createCorsPolicy, type FetchHandler } from './corsPolicy'
import { DEFAULT_EXPIRE_IN_SECONDS, getAuthenticationParameters } from './getAuthenticationParameters'

export type { AllowedOrigins, FetchHandler } from './corsPolicy'

/** What `createAuthHandler` takes. */
export interface AuthHandlerOptions extends CorsOptions {
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
}

const ALLOW = 'GET, OPTIONS'

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
  const policy = createCorsPolicy({ allowedOrigins, allowCredentials }, 'createAuthHandler')
  const { json } = policy

  return async (request) => {
    const started = await policy.start(request, ALLOW)
    if (started.response) return started.response
    const { cors } = started
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
          return policy.adopt(verdict, cors)
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
