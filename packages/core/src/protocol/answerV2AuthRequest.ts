/**
 * The v2 auth exchange (ours; ImageKit publishes none), answered in one place so that the app
 * backend's handler (`@ik-upload/server`), the msw mock and the local server never disagree:
 *
 * - request: `POST` with `Content-Type: application/json` and the body `{"fields": {name: string}}`,
 *   every field the client means to send as wire strings, except `file` and `token`;
 * - answer: `200 {"token": <JWT>, "fields": {...approved}}`, where the approved fields are exactly
 *   the token's payload without `iat`/`exp` (the backend may have rewritten them), or a 4xx/5xx
 *   `{"message"}`.
 *
 * Fetch-API only (Request, TextDecoder, WebCrypto), so it runs on Node, edge runtimes and in msw's
 * browser worker alike.
 */
import { jsonDepth, MAX_JSON_DEPTH } from './jsonDepth'
import { DEFAULT_JWT_LIFETIME_SECONDS, MAX_JWT_LIFETIME_SECONDS, signUploadJwt } from './jwt'
import { mimeTypeOf } from './mimeTypeOf'

/** The most bytes a v2 auth request body may hold by default: 64 KiB, far above any honest upload's fields. */
export const DEFAULT_V2_AUTH_MAX_BODY_SIZE = 64 * 1024

/**
 * Field names a client may not ask to have signed: `file` and `token` are never in the payload
 * (spec section 6), `publicKey`, `signature` and `expire` are v1's auth fields (v2 sends none),
 * `iat` and `exp` are the token's own claims, and `__proto__` cannot be an ordinary key of the
 * payload object (it would be dropped from the token but still sent).
 */
export const V2_UNSIGNABLE_FIELDS: readonly string[] = [
  'file',
  'token',
  'publicKey',
  'signature',
  'expire',
  'iat',
  'exp',
  '__proto__',
]

/** The fields of an upload as wire strings, by name. */
export type V2UploadFields = Record<string, string>

/** The 200 answer of the exchange. */
export interface V2AuthReply {
  /** The HS256 JWT to send as the upload's `token` field. */
  token: string
  /** The fields the token signs (its payload without `iat`/`exp`): send exactly these, plus `token` and `file`. */
  fields: V2UploadFields
}

/**
 * Thrown by an `authorize` hook to refuse an upload with a message the client may see (answered
 * `403 {"message": <its message>}`). Any other error thrown by the hook is a failure of the hook
 * itself: it is answered `500` with a message that says nothing of it.
 *
 * @example
 * authorize: (request, fields) => {
 *   if (fields.isPrivateFile !== 'true') throw new UploadRefusal('Uploads here must be private.')
 * }
 */
export class UploadRefusal extends Error {
  override name = 'UploadRefusal'
}

/**
 * What an `authorize` hook may return: `true` or `undefined` to approve the fields as sent; an
 * object of fields to approve those instead (rewritten: a forced `folder`, an added tag; a field
 * left `undefined` is dropped); `false` to refuse (403); or a `Response` to answer with it.
 */
export type V2AuthorizeResult =
  | boolean
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook that only throws to refuse returns nothing (`void`), and must type-check
  | void
  | Readonly<Record<string, string | undefined>>
  | Response

/**
 * Approves, rewrites or refuses the fields of one upload before they are signed. `fields` is a
 * fresh copy: return a new object (`{ ...fields, folder: '/users/42' }`) or change and return it.
 * `request`'s body has been read (the fields are it); its headers, cookies and URL are there.
 */
export type V2Authorize = (
  request: Request,
  fields: V2UploadFields,
) => V2AuthorizeResult | Promise<V2AuthorizeResult>

/** What `answerV2AuthRequest` needs. */
export interface AnswerV2AuthOptions {
  /** The account's public key: the token's `kid`. */
  publicKey: string
  /** The account's private key: the HMAC key. Never sent anywhere. */
  privateKey: string
  /** Seconds the token lives, 1 to 3600. @default 1800 */
  expiresIn?: number
  /** The app's approval hook. @default every request approved as sent */
  authorize?: V2Authorize
  /** Most bytes the request body may hold. @default 65536 (DEFAULT_V2_AUTH_MAX_BODY_SIZE) */
  maxBodySize?: number
  /** The clock, Unix seconds. @default Date.now() / 1000 */
  nowSeconds?: () => number
}

/** How one exchange was answered: the JSON to send, or the hook's own `Response`, and what happened. */
export type V2AuthOutcome =
  | {
      status: number
      body: V2AuthReply | { message: string }
      response?: undefined
      /** The fields the client asked to have signed, once its body was read. */
      requested?: V2UploadFields
      /** The fields signed, on success. */
      approved?: V2UploadFields
      /** The token issued, on success. */
      token?: string
    }
  | {
      /** `authorize` answered with its own `Response`: send it (with the server's own CORS headers). */
      response: Response
      requested: V2UploadFields
    }

/** The 415 message for a body sent without `Content-Type: application/json` (ours). */
export const V2_AUTH_NOT_JSON = 'Send the fields as JSON, with Content-Type: application/json.'
/** The 400 message for a body that is not `{"fields": {...}}` (ours). */
export const V2_AUTH_BAD_BODY =
  'The body must be JSON {"fields": {...}}: an object of the upload\'s fields, each a string as sent on the wire.'
/** The 400 message for a body over `limit` bytes (ours). */
export const v2AuthBodyTooLarge = (limit: number): string =>
  `The request body is too large: at most ${limit} bytes of fields may be signed.`
/** The 400 message for a body nested deeper than `MAX_JSON_DEPTH` (ours). */
export const V2_AUTH_TOO_DEEP = `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`
/** The 400 message for fields whose values are not strings (ours). */
export const v2AuthNotStrings = (names: readonly string[]): string =>
  `Every field must be a string, as sent on the wire (tags as "a,b", booleans as "true", JSON as text); not a string: ${names.join(', ')}.`
/** The 400 message for fields that cannot be signed (ours). */
export const v2AuthUnsignable = (names: readonly string[]): string =>
  `These fields cannot be signed: ${names.join(', ')}. A v2 upload sends its fields and token only: no file, token, publicKey, signature or expire in "fields".`
/** The 403 message when `authorize` returns `false` (ours). */
export const V2_AUTH_REFUSED = 'Not authorized to upload with these fields.'
/** The 500 message when `authorize` throws anything but an `UploadRefusal` (ours; the error is not told). */
export const V2_AUTH_CHECK_FAILED = 'The authorization check failed.'
/** The 500 message when `authorize` approves fields that cannot be signed (ours): the app's mistake, named for its developer. */
export const v2AuthBadApproval = (problem: string): string =>
  `The authorization check approved fields that cannot be signed. ${problem}`

type Checked = { ok: true; fields: V2UploadFields } | { ok: false; message: string }

/**
 * Checks a `fields` object: a plain object (not an array) whose values are strings (or, when
 * `allowUndefined`, `undefined`, which is dropped: a field not sent) and whose names can be signed
 * (`V2_UNSIGNABLE_FIELDS`). Returns a copy, or the message naming every field at fault.
 */
export function checkV2Fields(value: unknown, allowUndefined = false): Checked {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, message: V2_AUTH_BAD_BODY }
  const fields: V2UploadFields = {}
  const unsignable: string[] = []
  const notStrings: string[] = []
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined && allowUndefined) continue
    if (V2_UNSIGNABLE_FIELDS.includes(name)) unsignable.push(name)
    else if (typeof item !== 'string') notStrings.push(name)
    else fields[name] = item
  }
  if (unsignable.length) return { ok: false, message: v2AuthUnsignable(unsignable) }
  if (notStrings.length) return { ok: false, message: v2AuthNotStrings(notStrings) }
  return { ok: true, fields }
}

/** The body as text, or `null` when it passes `limit` bytes (read no further than that). */
async function readText(request: Request, limit: number): Promise<string | null> {
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > limit) return null
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      // Not awaited: a cancel can wait on a peer that never sends again.
      void reader.cancel().catch(() => {})
      return null
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  // Fatal: a body that is not UTF-8 is not JSON, rather than JSON with replacement characters.
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
}

/**
 * Reads the fields a client asks to have signed from a v2 auth request (`POST`, JSON
 * `{"fields": {...}}`), or the status and message to refuse it with: 415 without a JSON
 * `Content-Type`; 400 for a body over `maxBodySize` bytes (read no further), nested deeper than
 * `MAX_JSON_DEPTH`, not JSON, not `{"fields": {...}}`, with a non-string value or a name that cannot
 * be signed. The method is the caller's check.
 */
export async function readV2AuthFields(
  request: Request,
  maxBodySize = DEFAULT_V2_AUTH_MAX_BODY_SIZE,
): Promise<{ ok: true; fields: V2UploadFields } | { ok: false; status: number; message: string }> {
  // JSON only: a cross-origin JSON POST needs a CORS preflight, where a form or text/plain one
  // would reach `authorize` with the user's cookies without the server's consent.
  if (mimeTypeOf(request.headers.get('content-type')) !== 'application/json')
    return { ok: false, status: 415, message: V2_AUTH_NOT_JSON }
  let text: string | null
  try {
    text = await readText(request, maxBodySize)
  } catch {
    // Not UTF-8, or the body was cut or already read.
    return { ok: false, status: 400, message: V2_AUTH_BAD_BODY }
  }
  if (text === null) return { ok: false, status: 400, message: v2AuthBodyTooLarge(maxBodySize) }
  // Counted without parsing: a hostile nesting never reaches JSON.parse.
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    return { ok: false, status: 400, message: V2_AUTH_TOO_DEEP }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { ok: false, status: 400, message: V2_AUTH_BAD_BODY }
  }
  const fields =
    typeof body === 'object' && body !== null && Object.hasOwn(body, 'fields')
      ? (body as { fields: unknown }).fields
      : undefined
  const checked = checkV2Fields(fields)
  return checked.ok ? checked : { ok: false, status: 400, message: checked.message }
}

/**
 * Answers one v2 auth request, its method aside (the caller answers `OPTIONS` and refuses other
 * methods): reads the fields (`readV2AuthFields`), asks `authorize`, signs what it approved with
 * `signUploadJwt` and returns `200 {token, fields}`. `authorize` refusing (`false`, or a thrown
 * `UploadRefusal`, whose message is sent) is a 403; any other throw, or approved fields that
 * cannot be signed (a non-string value, `token`...), a 500 whose message says nothing of why.
 * Never rejects for anything the client sends.
 */
export async function answerV2AuthRequest(
  request: Request,
  options: AnswerV2AuthOptions,
): Promise<V2AuthOutcome> {
  const {
    publicKey,
    privateKey,
    expiresIn = DEFAULT_JWT_LIFETIME_SECONDS,
    authorize,
    maxBodySize,
    nowSeconds = () => Date.now() / 1000,
  } = options
  const read = await readV2AuthFields(request, maxBodySize)
  if (!read.ok) return { status: read.status, body: { message: read.message } }
  const requested = read.fields
  let approved: V2UploadFields = requested
  if (authorize) {
    let verdict: V2AuthorizeResult
    try {
      // A copy: a hook that edits its argument must not change what the outcome says was asked.
      verdict = await authorize(request, { ...requested })
    } catch (error) {
      // Only a refusal the app wrote for the client is told; anything else (a database down) may
      // carry secrets, and is a failure of the check rather than a "no".
      // By name too: an app with two copies of this module still gets its refusal told.
      if (error instanceof UploadRefusal || (error instanceof Error && error.name === 'UploadRefusal'))
        return { status: 403, body: { message: error.message || V2_AUTH_REFUSED }, requested }
      return { status: 500, body: { message: V2_AUTH_CHECK_FAILED }, requested }
    }
    if (verdict instanceof Response) return { response: verdict, requested }
    if (typeof verdict === 'object' && verdict !== null) {
      const checked = checkV2Fields(verdict, true)
      // The app's own mistake: a 500 that names it, not a 400 that would blame the client.
      if (!checked.ok)
        return { status: 500, body: { message: v2AuthBadApproval(checked.message) }, requested }
      approved = checked.fields
    } else if (verdict !== true && verdict !== undefined)
      return { status: 403, body: { message: V2_AUTH_REFUSED }, requested }
  }
  const iat = Math.floor(nowSeconds())
  const lifetime = Math.min(expiresIn, MAX_JWT_LIFETIME_SECONDS)
  const token = await signUniqueUploadJwt({ publicKey, privateKey, fields: approved, iat, lifetime })
  return { status: 200, body: { token, fields: approved }, requested, approved, token }
}

/** The second whose tokens `issued` holds, and their keys (kid, payload). */
let issuedSecond = Number.NaN
const issued = new Set<string>()

/**
 * `signUploadJwt` that never issues the same token twice in one process. A v2 token is a pure
 * function of its key, fields, `iat` and `exp`, so two uploads of one file with the same options in
 * the same second (a file added twice, a quick retry) would get one token, and the upload server,
 * which takes a token once, would refuse the second. A repeat within the second expires a second
 * earlier instead (`exp` one less per repeat, never below `iat + 1`): still valid, and distinct.
 * Processes do not share this memory; across servers a collision needs the same fields signed in
 * the same second on two of them.
 */
export function signUniqueUploadJwt(options: {
  publicKey: string
  privateKey: string
  fields: Readonly<Record<string, string | undefined>>
  /** Unix seconds, a whole number. */
  iat: number
  /** Seconds from `iat` to `exp` for the first token of these fields in this second. */
  lifetime: number
}): Promise<string> {
  const { publicKey, privateKey, fields, iat, lifetime } = options
  if (iat !== issuedSecond) {
    issued.clear()
    issuedSecond = iat
  }
  // Decided before any await, so concurrent calls cannot pick the same `exp`.
  const defined = Object.entries(fields).filter(([, value]) => value !== undefined)
  const prefix = `${publicKey}\n${JSON.stringify(defined)}\n`
  let exp = iat + lifetime
  while (issued.has(prefix + exp) && exp > iat + 1) exp--
  issued.add(prefix + exp)
  return signUploadJwt({ publicKey, privateKey, fields, iat, exp })
}
