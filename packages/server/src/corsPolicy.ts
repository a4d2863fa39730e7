/**
 * The CORS and caching rules every auth handler here shares (`createAuthHandler` for v1,
 * `createV2AuthHandler` for v2): written once, so the two endpoints of one app never answer the
 * same origin differently.
 */

/**
 * Which browser origins may call the endpoint cross-origin: `'*'`, a list of exact origins, or a
 * predicate (which may be async) that allows an origin by returning `true`.
 */
export type AllowedOrigins = '*' | readonly string[] | ((origin: string) => boolean | Promise<boolean>)

/** The CORS options of the auth handlers. */
export interface CorsOptions {
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
   * users' cookies, so creating the handler throws. Without `allowedOrigins` it does nothing.
   * @default false
   */
  allowCredentials?: boolean
}

/** A Fetch-API handler: Next.js route handlers, Hono, Bun.serve, Deno.serve, workers. */
export type FetchHandler = (request: Request) => Promise<Response>

/** One handler's CORS rules, made by `createCorsPolicy`. */
export interface CorsPolicy {
  /**
   * The CORS headers for a request's answer, or the whole answer when there is nothing more to do:
   * the `204` to an `OPTIONS` preflight (granting `methods`, e.g. `'GET, OPTIONS'`, to an allowed
   * origin), or a `500` when the app's origin predicate throws or rejects.
   */
  start(
    request: Request,
    methods: string,
  ): Promise<{ cors: Headers; response?: undefined } | { response: Response }>
  /** A JSON answer with the CORS headers and `Cache-Control: no-store`. */
  json(cors: Headers, status: number, body: unknown, extra?: Record<string, string>): Response
  /** An app's own `Response` (from `authorize`) with the handler's CORS and caching headers. */
  adopt(response: Response, cors: Headers): Response
}

const JSON_TYPE = 'application/json; charset=utf-8'

/** Throws when `allowedOrigins` (with `allowCredentials`) is one that cannot be what the app meant. */
function checkCorsOptions(caller: string, allowed: unknown, allowCredentials: unknown): void {
  if (allowed === undefined || allowed === null) return
  if (allowed === '*') {
    if (allowCredentials)
      throw new TypeError(
        `${caller}: allowedOrigins '*' cannot be combined with allowCredentials: true: every ` +
          "website on the internet could then fetch upload tokens with your users' cookies. List the " +
          "origins that may call with credentials, e.g. allowedOrigins: ['https://app.example'].",
      )
    return
  }
  if (typeof allowed === 'function') return
  if (!Array.isArray(allowed))
    throw new TypeError(
      `${caller}: allowedOrigins must be '*', a list of origins or a predicate, got ${JSON.stringify(allowed)}` +
        (typeof allowed === 'string' ? `; for one origin write [${JSON.stringify(allowed)}].` : '.'),
    )
  for (const entry of allowed as unknown[]) {
    if (typeof entry !== 'string')
      throw new TypeError(`${caller}: allowedOrigins lists ${JSON.stringify(entry)}, which is not an origin.`)
    if (entry === '*')
      throw new TypeError(
        `${caller}: '*' in an allowedOrigins list matches no origin; write allowedOrigins: '*' to allow every origin (without credentials).`,
      )
    if (entry === 'null')
      throw new TypeError(
        `${caller}: allowedOrigins cannot list 'null': sandboxed iframes and file: pages send it, and any website can make one.`,
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
          `${caller}: allowedOrigins lists ${JSON.stringify(entry)}, which is not an origin as browsers send it` +
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
 * The CORS rules of one handler. Throws at once, naming `caller`, when the options are unsafe or
 * malformed (`'*'` with `allowCredentials`, `'null'` in a list, an origin spelled with a path), so
 * a misconfigured app fails at start-up rather than on the first upload.
 */
export function createCorsPolicy(options: CorsOptions, caller: string): CorsPolicy {
  const { allowedOrigins, allowCredentials = false } = options
  checkCorsOptions(caller, allowedOrigins, allowCredentials)

  /**
   * `'*'` is the same for every caller, so it needs no `Vary`; with a list or a predicate the
   * answer depends on `Origin`, so shared caches must key on it, even for a request without one.
   * Rejects when the app's predicate throws or rejects.
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

  const json: CorsPolicy['json'] = (cors, status, body, extra = {}) => {
    const headers = new Headers(cors)
    headers.set('Content-Type', JSON_TYPE)
    headers.set('Cache-Control', 'no-store')
    for (const [name, value] of Object.entries(extra)) headers.set(name, value)
    return new Response(JSON.stringify(body), { status, headers })
  }

  return {
    json,

    async start(request, methods) {
      let cors: Headers
      try {
        cors = await corsHeaders(request)
      } catch {
        // The app's predicate failed: answer for it rather than leave the framework a rejection,
        // and never tell a stranger why. Nothing is allowed, but the answer still depends on Origin.
        return {
          response: json(new Headers({ Vary: 'Origin' }), 500, { message: 'The origin check failed.' }),
        }
      }
      if (request.method !== 'OPTIONS') return { cors }
      const headers = new Headers(cors)
      headers.set('Allow', methods)
      if (cors.has('access-control-allow-origin')) {
        headers.set('Access-Control-Allow-Methods', methods)
        // Echo what the client asked for: apps send their own headers (Authorization, X-CSRF...),
        // and v2's JSON body needs Content-Type.
        const asked = request.headers.get('access-control-request-headers')
        if (asked) {
          headers.set('Access-Control-Allow-Headers', asked)
          headers.append('Vary', 'Access-Control-Request-Headers')
        }
        headers.set('Access-Control-Max-Age', '600')
      }
      return { response: new Response(null, { status: 204, headers }) }
    },

    /**
     * A 403 that skipped the CORS headers could not even be read by the app's page, and one that
     * set its own `Access-Control-Allow-Origin` must not widen what `allowedOrigins` says. Copied,
     * since the Response's headers may be immutable (`Response.redirect()`, a `fetch()` answer).
     * Throws for a Response that cannot be sent on (`Response.error()`).
     */
    adopt(response, cors) {
      const headers = new Headers(response.headers)
      headers.delete('Access-Control-Allow-Origin')
      headers.delete('Access-Control-Allow-Credentials')
      cors.forEach((value, name) => {
        if (name !== 'vary') headers.set(name, value)
      })
      if (cors.has('vary')) varyOnOrigin(headers)
      headers.set('Cache-Control', 'no-store')
      return new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      })
    },
  }
}
