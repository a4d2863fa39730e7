import {
  answerV2AuthRequest,
  DEFAULT_JWT_LIFETIME_SECONDS,
  DEFAULT_V2_AUTH_MAX_BODY_SIZE,
  type V2Authorize,
} from '@ik-upload/core/protocol'
import { type CorsOptions, createCorsPolicy, type FetchHandler } from './corsPolicy'
import { checkExpiresIn } from './signV2UploadToken'

/** What `createV2AuthHandler` takes. */
export interface V2AuthHandlerOptions extends CorsOptions {
  /** The account's private key; it signs, and never leaves the server. */
  privateKey: string
  /** The account's public key: every token's `kid`. */
  publicKey: string
  /** Seconds each token lives, 1 to 3600 (the upload API refuses a v2 token living longer). @default 1800 */
  expiresIn?: number
  /**
   * Sees the fields a client means to upload with (wire strings: `fileName`, `folder`, `tags`
   * as `"a,b"`, `isPrivateFile` as `"true"`...) and decides what gets signed; the upload can send
   * nothing else. An open signing endpoint lets anyone on the internet upload into the account, so
   * production apps should set this (check the session, then the fields). It may return:
   * - `true` or `undefined` (or nothing): sign the fields as sent;
   * - an object of fields: sign those instead, e.g. `{ ...fields, folder: '/users/42' }` to force a
   *   folder or `{ ...fields, tags: 'a,b' }` to set tags; a field set to `undefined` is dropped.
   *   The answer's `fields` tell the client what to send, so the upload lands where you said;
   * - `false`: a 403 `{"message":"Not authorized to upload with these fields."}`;
   * - a `Response`: sent as is, with the handler's CORS headers and `Cache-Control: no-store`
   *   (e.g. a 401 asking to log in).
   *
   * Throw an `UploadRefusal` to refuse with your own message (a 403 whose `message` is that
   * message: the client's `UploadError` shows it). Any other throw answers a 500
   * `{"message":"The authorization check failed."}` that says nothing of the error (it may hold
   * secrets; log it in here). Approved fields that cannot be signed (a value that is not a string,
   * a `token`) answer a 500 that names them, for you to fix.
   * @default every request is signed as sent
   */
  authorize?: V2Authorize
  /** Most bytes a request body may hold; one past it is a 400, and no more is read. @default 65536 */
  maxBodySize?: number
}

const ALLOW = 'POST, OPTIONS'

/**
 * Creates the app's v2 auth endpoint, which signs an upload's fields (issue 10's exchange; ours,
 * ImageKit publishes none). `POST` with `Content-Type: application/json` and the body
 * `{"fields": {"fileName": "a.jpg", "folder": "/x", ...}}` (every field the client will send
 * besides `file` and `token`, as wire strings) answers `200 {"token": <JWT>, "fields": {...}}` with
 * `Cache-Control: no-store`: the approved fields (see `authorize`) and an HS256 token over exactly
 * those (`signV2UploadToken`), which the client sends with them.
 *
 * Refusals are JSON `{"message"}`: 415 without a JSON `Content-Type`; 400 for a body over
 * `maxBodySize`, nested deeper than 32 levels, not JSON, not `{"fields": {...}}`, with a value that
 * is not a string, or with a field that cannot be signed (`file`, `token`, `publicKey`, `signature`,
 * `expire`, `iat`, `exp`), each naming the fields at fault; 403/500 from `authorize`; 405 for other
 * methods (with `Allow: POST, OPTIONS`). CORS is `createAuthHandler`'s, rule for rule: the
 * `allowedOrigins`/`allowCredentials` headers on every answer, and `OPTIONS` preflights answered
 * `204` with the requested headers (`Content-Type`, the app's own) echoed to an allowed origin.
 *
 * Throws at once when a key is missing, `expiresIn` or `maxBodySize` is out of range or the CORS
 * options are unsafe or malformed, so a misconfigured app fails at start-up.
 *
 * @example
 * // app/api/imagekit-auth-v2/route.ts (Next.js)
 * export const POST = createV2AuthHandler({
 *   privateKey: process.env.IMAGEKIT_PRIVATE_KEY!,
 *   publicKey: process.env.IMAGEKIT_PUBLIC_KEY!,
 *   authorize: async (request, fields) => {
 *     const user = await getSession(request)
 *     if (!user) return false
 *     return { ...fields, folder: `/users/${user.id}` } // wherever the page asked to upload
 *   },
 * })
 */
export function createV2AuthHandler(options: V2AuthHandlerOptions): FetchHandler {
  const {
    privateKey,
    publicKey,
    expiresIn = DEFAULT_JWT_LIFETIME_SECONDS,
    authorize,
    maxBodySize = DEFAULT_V2_AUTH_MAX_BODY_SIZE,
    allowedOrigins,
    allowCredentials = false,
  } = options ?? {}
  if (!privateKey || typeof privateKey !== 'string')
    throw new TypeError('createV2AuthHandler: privateKey is required to sign upload tokens.')
  if (!publicKey || typeof publicKey !== 'string')
    throw new TypeError("createV2AuthHandler: publicKey is required: it is every token's kid.")
  checkExpiresIn('createV2AuthHandler', expiresIn)
  if (!Number.isSafeInteger(maxBodySize) || maxBodySize < 1)
    throw new RangeError(
      `createV2AuthHandler: maxBodySize must be a positive whole number of bytes, got ${maxBodySize}.`,
    )
  if (authorize !== undefined && typeof authorize !== 'function')
    throw new TypeError('createV2AuthHandler: authorize must be a function (request, fields) => ....')
  const policy = createCorsPolicy({ allowedOrigins, allowCredentials }, 'createV2AuthHandler')

  return async (request) => {
    const started = await policy.start(request, ALLOW)
    if (started.response) return started.response
    const { cors } = started
    if (request.method !== 'POST')
      return policy.json(
        cors,
        405,
        { message: `Method ${request.method} not allowed; use POST.` },
        { Allow: ALLOW },
      )
    const outcome = await answerV2AuthRequest(request, {
      publicKey,
      privateKey,
      expiresIn,
      authorize,
      maxBodySize,
    })
    if (!outcome.response) return policy.json(cors, outcome.status, outcome.body)
    try {
      return policy.adopt(outcome.response, cors)
    } catch {
      // Response.error() (status 0) or a body already read cannot be sent on.
      return policy.json(cors, 500, { message: 'The authorization check failed.' })
    }
  }
}
