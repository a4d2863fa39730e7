import {
  DEFAULT_JWT_LIFETIME_SECONDS,
  MAX_JWT_LIFETIME_SECONDS,
  signUniqueUploadJwt,
} from '@ik-upload/core/protocol'

/** What `signV2UploadToken` takes. */
export interface SignV2UploadTokenOptions {
  /** The account's private key: the HMAC key. Keep it on the server. */
  privateKey: string
  /** The account's public key: the token's `kid`, by which the upload server finds the private key. */
  publicKey: string
  /**
   * Every field the upload will send besides `file` and `token`, exactly as it goes on the wire
   * (`tags` as `"a,b"`, booleans as `"true"`, JSON as text). The upload must then send exactly these
   * fields, with these strings, or the server refuses its payload. A field left `undefined` is not
   * signed (it is not sent).
   */
  fields: Readonly<Record<string, string | undefined>>
  /** Seconds the token lives, 1 to 3600 (the upload API refuses a token living longer). @default 1800 */
  expiresIn?: number
}

/** Names that cannot be fields of a token's payload: never signed (`file`, `token`) or its own claims. */
const NOT_SIGNABLE = ['file', 'token', 'iat', 'exp', '__proto__']

const fail = (message: string) => new TypeError(`signV2UploadToken: ${message}`)

/**
 * A v2 upload token (spec section 6): an HS256 JWT with the header
 * `{"alg":"HS256","typ":"JWT","kid":publicKey}` whose payload holds every field of `fields` as
 * given plus integer `iat` (now) and `exp` (now + `expiresIn`), signed with the private key. The
 * client sends it as the upload's `token` field, next to exactly those fields. One token per upload
 * attempt: the upload server refuses a token it has seen. The same fields signed twice in one
 * second would make the same token, so the repeat expires a second earlier (still valid, and
 * distinct); this process remembers the current second's tokens for that.
 *
 * Bad options throw at once, synchronously (no key, `expiresIn` over 3600, a field that is not a
 * string or is named `file`, `token`, `iat` or `exp`), so a misconfigured backend fails loudly.
 *
 * @example
 * const token = await signV2UploadToken({ privateKey, publicKey, fields: { fileName: 'a.jpg', folder: '/users/42' } })
 */
export function signV2UploadToken(options: SignV2UploadTokenOptions): Promise<string> {
  const { privateKey, publicKey, fields, expiresIn = DEFAULT_JWT_LIFETIME_SECONDS } = options ?? {}
  if (!privateKey || typeof privateKey !== 'string')
    throw fail('privateKey is required to sign upload tokens.')
  if (!publicKey || typeof publicKey !== 'string') throw fail("publicKey is required: it is the token's kid.")
  checkExpiresIn('signV2UploadToken', expiresIn)
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
    throw fail('fields must be an object of wire strings, e.g. { fileName: "a.jpg" }.')
  for (const [name, value] of Object.entries(fields)) {
    if (NOT_SIGNABLE.includes(name))
      throw fail(
        `the field ${JSON.stringify(name)} cannot be signed (file and token are never in the payload; iat and exp are the token's own).`,
      )
    if (value !== undefined && typeof value !== 'string')
      throw fail(
        `the field ${JSON.stringify(name)} must be a string as sent on the wire, got ${typeof value}.`,
      )
  }
  const iat = Math.floor(Date.now() / 1000)
  return signUniqueUploadJwt({ privateKey, publicKey, fields, iat, lifetime: expiresIn })
}

/** Throws a `RangeError` naming `caller` unless `expiresIn` is a whole number of seconds from 1 to 3600. */
export function checkExpiresIn(caller: string, expiresIn: unknown): asserts expiresIn is number {
  if (
    !Number.isInteger(expiresIn) ||
    (expiresIn as number) < 1 ||
    (expiresIn as number) > MAX_JWT_LIFETIME_SECONDS
  )
    throw new RangeError(
      `${caller}: expiresIn must be a whole number of seconds from 1 to ${MAX_JWT_LIFETIME_SECONDS} (the upload API refuses a v2 token living more than an hour), got ${expiresIn}.`,
    )
}
