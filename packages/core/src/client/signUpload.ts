import { missingParameter } from '../protocol/messages'
import { fetchAuthParams } from './fetchAuthParams'
import { UploadError } from './UploadError'
import type { UploadConfig } from './upload'

/**
 * The `validation` error for a field refused before any request; by default the spec's "missing"
 * message. One helper for the client's local checks (here and in `upload.ts`): fewer bytes.
 */
export const refuse = (field: string, message = missingParameter(field)): UploadError =>
  new UploadError('validation', message, { field })

/** ImageKit's v1 upload URL, the default `uploadEndpoint`. */
export const IMAGEKIT_UPLOAD_ENDPOINT = 'https://upload.imagekit.io/api/v1/files/upload'

/** One attempt's auth, ready to send. */
export interface SignedUpload {
  /**
   * Every field to send besides `file`, auth fields included, in sending order: wire strings, but
   * for `signV1`'s `expire`, the number `fetchAuthParams` returned (FormData sends its decimal).
   */
  fields: Record<string, string>
  /** Unix seconds after which the server refuses this auth (v1 `expire`, v2 JWT `exp`). */
  expire: number
  /** The upload URL used when `uploadEndpoint` is unset (ImageKit's hosted v1 or v2 URL). */
  endpoint: string
}

/**
 * Turns one attempt's upload fields (wire strings, no auth) into a `SignedUpload`: one auth request
 * per call, so a retry calls it again (a token is single use). Rejects with an `UploadError`.
 */
export type Signer = (
  fields: Record<string, string>,
  config: UploadConfig,
  signal?: AbortSignal,
) => Promise<SignedUpload>

/**
 * The v1 signer, the default: refuses a missing `publicKey`, fetches fresh `{token, expire,
 * signature}` (`fetchAuthParams`) and adds `publicKey`, `token`, `signature` and `expire` after the
 * fields. The signature covers only `token + expire`, so the fields go as the browser chose them.
 */
export async function signV1(
  fields: Record<string, string>,
  config: UploadConfig,
  signal?: AbortSignal,
): Promise<SignedUpload> {
  const { publicKey } = config
  if (!publicKey) throw refuse('publicKey')
  const auth = await fetchAuthParams(config, signal, fields)
  return {
    // `expire` stays a number here: FormData sends its decimal string, and bytes count (issue 8).
    fields: { ...fields, publicKey, ...auth } as unknown as Record<string, string>,
    expire: auth.expire,
    endpoint: IMAGEKIT_UPLOAD_ENDPOINT,
  }
}
