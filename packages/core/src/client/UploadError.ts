/** What went wrong, as a union a UI can switch on. */
export type UploadErrorCode =
  /** The options or the file were refused before anything was sent. */
  | 'validation'
  /** The authentication endpoint or `authenticator()` failed or gave a wrong reply. */
  | 'auth'
  /** The connection failed or dropped (offline, refused, CORS). */
  | 'network'
  /** The upload (or the auth request) took longer than its `timeout`. */
  | 'timeout'
  /** The upload server answered with an HTTP error, or with a body that is not the expected JSON. */
  | 'server'
  /** The upload was cancelled through its `AbortSignal`, `abort()` or an unmount. */
  | 'aborted'

/** The extra facts an `UploadError` may carry. */
export interface UploadErrorDetails {
  /** The HTTP status of the response, when there was one. */
  status?: number
  /** The server's `help` text. */
  help?: string
  /** The request field at fault, for `validation` errors. */
  field?: string
  /** Seconds the server asked to wait (`Retry-After`, as seconds or an HTTP date), for 429 and 5xx. */
  retryAfter?: number
}

/** The one error class of the kit: every failure of an upload is an `UploadError` with a `code`. */
export class UploadError extends Error implements UploadErrorDetails {
  override name = 'UploadError'
  declare status?: number
  declare help?: string
  declare field?: string
  declare retryAfter?: number
  declare readonly code: UploadErrorCode

  constructor(code: UploadErrorCode, message: string, details?: UploadErrorDetails, options?: ErrorOptions) {
    super(message, options)
    Object.assign(this, details, { code })
  }
}

/**
 * True for the failures worth another attempt with fresh auth: network, timeout, and a 5xx or 429
 * from the upload server or the auth endpoint.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof UploadError)) return false
  const { code, status = 0 } = error
  return (
    code === 'network' ||
    code === 'timeout' ||
    ((code === 'server' || code === 'auth') && (status >= 500 || status === 429))
  )
}
