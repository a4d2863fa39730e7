/** What went wrong, as a union a UI can switch on. */
export type UploadErrorCode =
  /** The options or the file were refused before anything was sent. */
  | 'validation'
  /** The authentication endpoint or `authenticator()` failed or gave a wrong reply. */
  | 'auth'
  /** No answer came: the server could not be reached or the connection dropped (offline, down, blocked). */
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
  /** The server's `help` text, exactly as it sent it. */
  help?: string
  /** The request field at fault, for `validation` errors. */
  field?: string
  /** Seconds the server asked to wait (`Retry-After`, as seconds or an HTTP date), for 429 and 5xx. */
  retryAfter?: number
}

/**
 * The one error class of the kit: every failure of an upload is an `UploadError` with a `code`.
 *
 * What `message` holds:
 * - `server`: the upload server's exact `message` (the spec's catalog, so code can match on it),
 *   its `help` in `help` and the HTTP `status`; a reply that is not the spec's JSON is described
 *   instead (its status and how its body starts).
 * - refusals that stand in for the server (a missing `fileName` or `publicKey`, `upload()`'s own
 *   size check, `checkOptions`) keep the spec's exact message too, with the `field` at fault.
 * - the queue's restrictions (`accept`, `maxFileSize`, `maxFiles`, `validateFile`, `checkImage`) are
 *   worded for a person: the file, what it is and what is allowed (`photo.jpg is 30.2 MB; the
 *   limit is 25 MB.`); code tells them apart by `item.rejection.code`, not by the text.
 * - `network`, `timeout`, `aborted`: what failed and, for `network`, what to try, with no guess at
 *   the cause (an XHR error carries none) and no URL (of the upload server or the auth endpoint).
 */
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
  // Only `server` and `auth` errors carry an HTTP status, so the status alone tells a 5xx or a 429.
  const { code, status = 0 }: Partial<UploadError> = error instanceof UploadError ? error : {}
  return code === 'network' || code === 'timeout' || status > 499 || status === 429
}
