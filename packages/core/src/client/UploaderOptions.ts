import type { UploadFieldOptions } from '../protocol/fields'
import type { UploadError } from './UploadError'
import type { FileRejection, UploadItem } from './UploadItem'
import type { UploadOptions, UploadProgress, UploadResponse } from './upload'

/** What `validateFile` answers: `false` or a message refuses the file; anything else accepts it. */
export type FileVerdict = boolean | string | undefined

/** Options of `createUploader`: where and how to upload, the upload fields, the queue and the callbacks. */
export interface UploaderOptions extends UploadOptions {
  /** Uploads running at once. @default 3 */
  concurrency?: number
  /**
   * How many items beyond the running uploads may get ready ahead of time: checked, given their
   * fields (`overrideParameters` runs for them) and signed (one auth request each), so that a
   * slot that frees starts sending at once instead of waiting for a token. At most this many
   * tokens are ever held unused. A held token is never used twice (a retry signs again), one past
   * half its lifetime (from its signing to its `expire`) is thrown away and the item signs again
   * when its turn comes (one more auth request for that attempt), and `abort`, `remove` and `clear` cancel the prefetch (its auth
   * request is aborted). `setOptions` does not: an item already signed keeps its fields, like an
   * upload under way. `0` turns prefetch off. @default concurrency
   */
  prefetch?: number
  /** Automatic retries after a network error, a timeout, a 5xx or a 429 (never after another 4xx). @default 2 */
  retries?: number
  /** Base of the exponential backoff in ms (doubled each attempt, with jitter); `Retry-After` wins when sent. @default 1000 */
  retryDelay?: number
  /**
   * The longest wait before a retry, in ms. The backoff stops growing there; a `Retry-After`
   * (seconds or an HTTP date) asking for longer fails the item at once, with `retryAfter` on its
   * error, instead of parking it in the queue. @default 60000
   */
  maxRetryDelay?: number
  /** Milliseconds for each upload request, auth excluded. @default none */
  timeout?: number
  /**
   * Milliseconds an upload request may go without progress and without an answer before that
   * attempt is aborted as a `timeout` (and retried): a server that takes the body and never answers
   * frees its slot. `fetch` (no XHR) reports no progress until the end, so there it bounds the whole
   * request. `0` or `Infinity` turns it off. @default 30000
   */
  stallTimeout?: number
  /** Accepted types, as for `<input accept>`: MIME types (`image/png`), wildcards (`image/*`) and extensions (`.pdf`). @default any */
  accept?: string | readonly string[]
  /** Most items that may be queued, uploading or uploaded at once; failed and aborted ones do not count. @default no limit */
  maxFiles?: number
  /** Called when a file passed validation, before its first auth request (which may come before a slot is free: `prefetch`). @default none */
  onUploadStart?: (file: File, item: UploadItem) => void
  /** Called for every progress event of the request body (not coalesced). @default none */
  onUploadProgress?: (progress: UploadProgress, item: UploadItem) => void
  /** Called with the server's response when a file is uploaded. @default none */
  onSuccess?: (result: UploadResponse, item: UploadItem) => void
  /** Called when a file fails for good (after its retries) or is refused by a restriction; not on abort. @default none */
  onError?: (error: UploadError, item: UploadItem) => void
  /** Your own check: return `false` or a message to refuse the file. May be async. @default none */
  validateFile?: (file: File) => FileVerdict | Promise<FileVerdict>
  /**
   * Checks each image (`image/*` file) after `validateFile`; a rejection it returns refuses the file
   * like a restriction (`item.rejection`, code `validation`). Pass `imageDimensions({ minWidth,
   * minHeight, maxWidth, maxHeight })` from `@ik-upload/core` for the dimension limits (codes
   * `image-too-small` and `image-too-large`). Opt-in, so decoding images costs no bytes where unused.
   * @default none: any width and height
   */
  checkImage?: (file: File) => FileRejection | undefined | Promise<FileRejection | undefined>
  /**
   * Checks each file's upload fields before its auth request; a problem fails the file with code
   * `validation` and the problem's message, so no token is spent. Pass `checkUploadOptions` from
   * `@ik-upload/core/protocol` to refuse bad `tags`, `folder`, `customCoordinates` and
   * `responseFields` with the server's own message. Opt-in, so the rules cost no bytes where unused.
   * @default none: the upload server judges the fields (same messages, code `server`)
   */
  checkOptions?: (fields: UploadFieldOptions) => { field: string; message: string } | undefined
  /** Per-file upload fields; each one that is not `null`/`undefined` wins, so `false` overrides `true`. @default none */
  overrideParameters?: (
    file: File,
  ) => UploadFieldOptions | undefined | Promise<UploadFieldOptions | undefined>
}

/** The option names of `createUploader` that are not upload fields; UIs use it to split props. */
export const UPLOADER_OPTION_NAMES = [
  'publicKey',
  'urlEndpoint',
  'uploadEndpoint',
  'authenticationEndpoint',
  'authenticator',
  'authenticationRequest',
  'authTimeout',
  'transport',
  'signer',
  'maxFileSize',
  'concurrency',
  'prefetch',
  'retries',
  'retryDelay',
  'maxRetryDelay',
  'timeout',
  'stallTimeout',
  'accept',
  'maxFiles',
  'onUploadStart',
  'onUploadProgress',
  'onSuccess',
  'onError',
  'validateFile',
  'checkImage',
  'checkOptions',
  'overrideParameters',
] as const satisfies readonly (keyof UploaderOptions | 'urlEndpoint')[]

// Fails to compile when an option is added without its name above (then a UI would pass it to the DOM).
type MissingName = Exclude<
  keyof UploaderOptions,
  (typeof UPLOADER_OPTION_NAMES)[number] | keyof UploadFieldOptions
>
const allNamed: MissingName extends never ? true : MissingName = true
void allNamed
