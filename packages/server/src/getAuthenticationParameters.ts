import { signUploadToken } from '@ik-upload/core/protocol'

/** The JSON an authentication endpoint answers with (spec section 6). */
export interface AuthenticationParameters {
  token: string
  /** Unix seconds. */
  expire: number
  /** Lowercase hex `HMAC-SHA1(privateKey, token + expire)`. */
  signature: string
}

/** What `getAuthenticationParameters` takes. */
export interface GetAuthenticationParametersOptions {
  /** The account's private key. Keep it on the server: whoever has it can upload into the account. */
  privateKey: string
  /** The single-use token. Pass your own only if it is unique; a reused token is refused. @default a random v4 UUID */
  token?: string
  /** When the signature expires, as an absolute Unix time in seconds; the upload API refuses one an hour or more ahead. @default now + 1800 */
  expire?: number
}

/** How long parameters stay valid when no `expire` is given, as in ImageKit's own server SDKs. */
export const DEFAULT_EXPIRE_IN_SECONDS = 1800

/**
 * The auth parameters for one client-side upload: a fresh token, its expiry and their signature.
 * Call it once per upload attempt (a token is single use), on the server only.
 *
 * Unlike ImageKit's Node SDK this returns a Promise: the signature is computed with WebCrypto by
 * the protocol's own `signUploadToken`, so the same code runs on Node, Bun, Deno and edge runtimes.
 * A missing private key or a bad `expire` still throws at once, synchronously, so a misconfigured
 * backend fails loudly even where the Promise is not awaited.
 */
export function getAuthenticationParameters(
  options: GetAuthenticationParametersOptions,
): Promise<AuthenticationParameters> {
  const { privateKey } = options ?? {}
  if (!privateKey || typeof privateKey !== 'string')
    throw new TypeError('getAuthenticationParameters: privateKey is required to sign upload tokens.')
  const token = options.token ?? crypto.randomUUID()
  const expire = options.expire ?? Math.floor(Date.now() / 1000) + DEFAULT_EXPIRE_IN_SECONDS
  if (!Number.isSafeInteger(expire) || expire < 0)
    throw new TypeError(`getAuthenticationParameters: expire must be a Unix time in seconds, got ${expire}.`)
  return signUploadToken(privateKey, token, expire).then((signature) => ({ token, expire, signature }))
}
