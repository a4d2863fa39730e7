/**
 * The mock's v2 auth endpoint: the app backend's side of the v2 exchange (POST JSON `{fields}` →
 * `{token, fields}`), answered by the protocol's own `answerV2AuthRequest`, the code behind
 * `@ik-upload/server`'s `createV2AuthHandler` and the local server's `/auth/v2`, so the three agree
 * on every answer. Wired into `uploadHandlers` (its options and log are part of `UploadMock`).
 */
import { answerV2AuthRequest, type V2Authorize, type V2UploadFields } from '@ik-upload/core/protocol'
import { HttpResponse, http, type RequestHandler } from 'msw'

/** Where the mock's v2 auth endpoint answers by default: `DEV_AUTH_ENDPOINT + '/v2'`. */
export const DEV_AUTH_V2_ENDPOINT = 'https://app.ikupload.test/api/imagekit-auth/v2'

/** The v2 auth options of `uploadHandlers`. */
export interface V2AuthMockOptions {
  /**
   * The app's v2 auth endpoint, answering `POST` `{"fields": {...}}` with `{"token", "fields"}`:
   * point `authenticationEndpoint` at it with the v2 signer. Its tokens live `authLifetime`
   * seconds (at most 3600). @default authEndpoint + '/v2' (DEV_AUTH_V2_ENDPOINT with the default authEndpoint)
   */
  authV2Endpoint?: string
  /**
   * What the mock's backend does with the fields before signing them, as `createV2AuthHandler`'s
   * `authorize`: return `true`/nothing to sign them as sent, an object of fields to sign those
   * instead (`{ ...fields, folder: '/users/42' }`: the upload then lands there, whatever the page
   * asked), `false` for a 403, a `Response` to answer with it, or throw an `UploadRefusal` for a
   * 403 with its message. `request`'s body is read already; its headers are there.
   * @default every request signed as sent
   */
  authorizeV2?: V2Authorize
}

/** One request to the v2 auth endpoint and how it was answered. */
export interface AuthV2RequestRecord {
  url: string
  /** Request headers, names in lowercase. */
  headers: Record<string, string>
  /** The fields the client asked to have signed; `undefined` when its body was refused or `failNext` failed it. */
  fields: V2UploadFields | undefined
  /** The fields signed (what `authorizeV2` approved); `undefined` unless answered 200. */
  approved: V2UploadFields | undefined
  /** The token issued; `undefined` unless answered 200. */
  token: string | undefined
  /** The status answered; 0 for an injected network error or a hang. */
  status: number
  /** The JSON body answered, when there is one. */
  body: unknown
}

/** What the v2 auth handlers need from the mock around them. */
export interface V2AuthMockContext extends V2AuthMockOptions {
  authV2Endpoint: string
  publicKey: string
  privateKey: string
  /** Seconds each token lives (at most 3600). */
  lifetime: number
  /** The mock's clock, Unix seconds. */
  nowSeconds: () => number
  /** Waits the mock's latency; resolves to an injected failure's answer when `failNext(..., 'auth')` queued one. */
  interrupt: () => Promise<Response | undefined>
  /** Where each request is logged, in arrival order. */
  log: AuthV2RequestRecord[]
}

/** Headers of every answer: open to every origin, as a dev backend, and never cached (a token is single use). */
const HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Cache-Control': 'no-store',
}

/** The msw handlers of the v2 auth endpoint: `POST` the exchange, `OPTIONS` its CORS preflight (JSON needs one). */
export function v2AuthHandlers(context: V2AuthMockContext): RequestHandler[] {
  const { authV2Endpoint, publicKey, privateKey, lifetime, nowSeconds, authorizeV2, interrupt, log } = context

  async function handle(request: Request): Promise<Response> {
    const record: AuthV2RequestRecord = {
      url: request.url,
      headers: Object.fromEntries([...request.headers].map(([name, value]) => [name.toLowerCase(), value])),
      fields: undefined,
      approved: undefined,
      token: undefined,
      status: 0,
      body: undefined,
    }
    log.push(record)
    const failed = await interrupt()
    if (failed) {
      record.status = failed.type === 'error' ? 0 : failed.status
      record.body = failed.type === 'error' ? undefined : await failed.clone().json()
      return failed
    }
    const outcome = await answerV2AuthRequest(request, {
      publicKey,
      privateKey,
      expiresIn: lifetime,
      authorize: authorizeV2,
      nowSeconds,
    })
    record.fields = outcome.requested
    if (outcome.response) {
      // The hook's own answer, made readable by the page like every answer of the mock.
      const headers = new Headers(outcome.response.headers)
      for (const [name, value] of Object.entries(HEADERS)) headers.set(name, value)
      record.status = outcome.response.status
      return new Response(outcome.response.body, { status: outcome.response.status, headers })
    }
    record.status = outcome.status
    record.body = outcome.body
    record.approved = outcome.approved
    record.token = outcome.token
    return HttpResponse.json(outcome.body, { status: outcome.status, headers: HEADERS })
  }

  return [
    http.options(
      authV2Endpoint,
      ({ request }) =>
        new HttpResponse(null, {
          status: 204,
          headers: {
            ...HEADERS,
            'Access-Control-Allow-Methods': 'POST, OPTIONS',
            'Access-Control-Allow-Headers':
              request.headers.get('access-control-request-headers') ?? 'Content-Type, Authorization',
          },
        }),
    ),
    http.post(authV2Endpoint, ({ request }) => handle(request)),
  ]
}
