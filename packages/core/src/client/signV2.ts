/**
 * The v2 signer: the backend sees the upload's fields, approves (or rewrites) them and signs them
 * into one JWT (spec section 6; the exchange is ours, see `signV2`). A separate module on purpose:
 * only an app that imports `signV2` carries it (issue 8's size budgets).
 */
import { unexpectedReply, withTimeout } from './signals'
import type { Signer } from './signUpload'
import { UploadError } from './UploadError'

/** ImageKit's v2 upload URL: where `signV2` uploads go when `uploadEndpoint` is unset. */
export const IMAGEKIT_UPLOAD_V2_ENDPOINT = 'https://upload.imagekit.io/api/v2/files/upload'

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Signs one attempt the v2 way. It sends the fields to your backend: `POST authenticationEndpoint`
 * with `Content-Type: application/json` and the body `{"fields": {...}}` (every field the upload
 * means to send, as wire strings, `file` and the auth fields aside; `cache: "no-store"`,
 * `authenticationRequest` applied as in v1), or calls `authenticator({ signal, fields })`. The
 * backend answers `200 {"token": "<JWT>", "fields": {...}}`: the fields it approved, possibly
 * rewritten (a forced folder, an added tag), and an HS256 JWT whose payload holds exactly them
 * (`signV2UploadToken` / `createV2AuthHandler` of `@ik-upload/server` do it). The upload then sends
 * exactly those fields and the `token`, `file` last, to the v2 endpoint: the backend's choice wins,
 * and no `publicKey`, `signature` or `expire` is sent. Every attempt (retries too) asks again, since
 * a token is single use.
 *
 * Failures are `UploadError`s: a refusal (`4xx {"message"}`) is code `auth` with the backend's
 * message and status; an unreachable endpoint is `network` (retried); a reply without a non-empty
 * `token`, without `fields` of strings, or with a token whose payload (its `exp`) cannot be read is
 * `auth`, saying what was wrong (`The authentication endpoint returned no "token".`, no URL).
 *
 * @example
 * import { signV2, upload } from '@ik-upload/core'
 * await upload(file, {
 *   signer: signV2,
 *   authenticationEndpoint: '/api/imagekit-auth/v2',
 *   folder: '/user-42',
 * })
 */
export const signV2: Signer = async (fields, config, signal) => {
  const {
    authenticationEndpoint: url,
    authenticator,
    authenticationRequest: init,
    authTimeout = 10_000,
  } = config
  const source = authenticator ? 'authenticator()' : 'The authentication endpoint'
  const fail = (what: string, status?: number): UploadError =>
    new UploadError('auth', `${source} ${what}`, { status })
  // The same request as v1's fetchAuthParams but a POST of JSON, and a refusal's message is kept.
  // Written apart from it so that v1 bundles do not pay for v2 (issue 8's budgets).
  const reply: unknown = await withTimeout(
    signal,
    source,
    async (timed) => {
      if (authenticator) return authenticator({ signal: timed, fields })
      if (!url) throw new UploadError('auth', 'Set authenticationEndpoint or authenticator.')
      const extra = typeof init === 'function' ? await init() : init
      const headers = new Headers(extra?.headers)
      headers.set('Content-Type', 'application/json')
      const response = await fetch(url, {
        ...extra,
        method: 'POST',
        headers,
        body: JSON.stringify({ fields }),
        cache: 'no-store',
        signal: timed,
      })
      const { status } = response
      const text = await response.text()
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch {}
      if (response.ok && json !== undefined) return json
      // A backend's refusal (`403 {"message": "..."}`) is shown as it wrote it; the status rides
      // along so that a 5xx or 429 is retried like the upload's own.
      const message = isObject(json) && json.message
      throw typeof message === 'string' && message && !response.ok
        ? new UploadError('auth', message, { status })
        : fail(unexpectedReply(status, text), status)
    },
    // An unreachable endpoint is a network failure (retried); a throwing authenticator() is not.
    authenticator ? 'auth' : 'network',
    authTimeout,
  )
  const token = isObject(reply) && reply.token
  if (!token || typeof token !== 'string') throw fail('returned no "token".')
  const approved = (reply as { fields?: unknown }).fields
  if (!isObject(approved)) throw fail('returned no "fields" (an object of the approved upload fields).')
  for (const [name, value] of Object.entries(approved))
    if (typeof value !== 'string')
      throw fail(`returned a "fields.${name}" that is not a string (every field goes on the wire as text).`)
  // The file part is ours and named by the approved fileName: a reply that signs a `file` or a
  // `token` field, or no fileName, would send two file parts or a file the token never named.
  if ('file' in approved || 'token' in approved)
    throw fail('returned "fields" holding "file" or "token", which are never signed.')
  if (!approved.fileName) throw fail('returned no "fields.fileName".')
  // Only `exp` is read, so the middle part is base64url-decoded by hand (atob takes it unpadded; a
  // UTF-8 byte of a field value then reads as Latin-1, which JSON.parse still takes). The protocol's
  // decodeJwt would double this module's bytes. A token that is not a JWT throws here: undefined.
  let expire: unknown
  try {
    expire = JSON.parse(atob((token.split('.')[1] as string).replace(/-/g, '+').replace(/_/g, '/'))).exp
  } catch {}
  if (typeof expire !== 'number')
    throw fail('returned a "token" that is not a JWT with an "exp" (its payload cannot be read).')
  if (expire <= Date.now() / 1000) throw fail(`returned a "token" that expired (exp ${expire}).`)
  return {
    fields: { ...(approved as Record<string, string>), token },
    expire,
    endpoint: IMAGEKIT_UPLOAD_V2_ENDPOINT,
  }
}
