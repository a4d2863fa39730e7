import { encodeFieldValue, UPLOAD_FIELD_NAMES, type UploadFieldOptions } from '../protocol/fields'
import { FILE_TOO_LARGE } from '../protocol/messages'
import { DEFAULT_MAX_FILE_SIZE } from '../protocol/rules'
import type { UploadResponse } from '../protocol/uploadResponse'
import type { AuthConfig } from './fetchAuthParams'
import { unexpectedReply, withTimeout } from './signals'
import { refuse, type SignedUpload, type Signer, signV1 } from './signUpload'
import { fetchTransport, type Transport, xhrTransport } from './transport'
import { UploadError } from './UploadError'

export { IMAGEKIT_UPLOAD_ENDPOINT } from './signUpload'

/** Where and how to upload: the account, the auth source, the server. */
export interface UploadConfig extends AuthConfig {
  /** The account's public key; sent with every v1 upload, and required there. v2 (`signV2`) sends none. @default none */
  publicKey?: string
  /**
   * The upload API URL; point it at the local server in development (its `/api/v2/files/upload`
   * with `signV2`). @default the signer's: 'https://upload.imagekit.io/api/v1/files/upload' (v1) or '.../api/v2/files/upload' (v2)
   */
  uploadEndpoint?: string
  /** Largest file accepted, in bytes; larger files are refused before anything is sent. @default 26214400 (25 MB) */
  maxFileSize?: number
  /** How the multipart body is sent. @default XHR where it exists (real progress), else fetch */
  transport?: Transport
  /**
   * How each attempt is signed. `signV1` fetches `{token, expire, signature}` and sends the fields
   * as they are; `signV2` (import it from `@ik-upload/core`) sends the fields to your backend, which
   * approves (or rewrites) and signs them into one JWT. @default signV1
   */
  signer?: Signer
}

/** Everything `upload()` takes besides the file: the config and the upload fields. */
export interface UploadOptions extends UploadConfig, UploadFieldOptions {}

/** Progress of one upload, in bytes of the request body. */
export interface UploadProgress {
  loaded: number
  total: number
}

/** Per-call controls. */
export interface UploadCallOptions {
  /** Cancels the upload, also while auth is pending. */
  signal?: AbortSignal
  /** Called as bytes leave. */
  onProgress?: (progress: UploadProgress) => void
  /** Milliseconds for the whole upload request, auth excluded. @default none */
  timeout?: number
  /**
   * Milliseconds the upload request may go without progress and without an answer before it is
   * aborted as a `timeout`. A transport without progress events (fetch) reports none until the end,
   * so there it bounds the whole request. @default none
   */
  stallTimeout?: number
}

/** The success response of spec section 4, typed once in the protocol. */
export type { UploadResponse }

/** What can be uploaded: a `File`/`Blob`, base64 text or a data URI, or an `http(s)` URL. */
export type UploadSource = Blob | string

/** The size and default name of a source, or an error for what cannot be uploaded. */
function describeSource(file: unknown): { size?: number; name?: string } {
  if (file instanceof Blob) return { size: file.size, name: (file as File).name }
  if (typeof file === 'string') {
    // A URL: the server downloads it, so neither its size nor its bytes are known here.
    if (/^https?:\/\/./i.test(file)) return { name: file.split(/[?#]/)[0]?.split('/').pop() }
    // base64, plain or as a data URI: without its padding, n chars carry floor(3n / 4) bytes.
    const base64 = /^([A-Za-z0-9+/]+)={0,2}$/.exec(file.slice(file.indexOf(',') + 1).replace(/\s/g, ''))
    if (base64) return { size: ((base64[1] as string).length * 3) >> 2 }
  }
  throw refuse('file', 'file must be a File, a Blob, base64 text, a data URI or an http(s) URL.')
}

/**
 * Uploads one file: refuses a missing `fileName` and a file over `maxFileSize` locally, signs the
 * fields with the `signer` (v1 by default, which refuses a missing `publicKey`), sends the multipart
 * request and resolves with the response once it carries `fileId`, `name`, `url` and `filePath`.
 * Every failure rejects with an `UploadError`. The value rules of the other fields (tags, folder,
 * ...) are the server's, which answers the spec's message; the queue (`createUploader`) checks them
 * before any request, and `checkUploadOptions` from `@ik-upload/core/protocol` does it for a caller
 * of `upload()`.
 */
export async function upload(
  file: UploadSource,
  options: UploadOptions,
  call?: UploadCallOptions,
): Promise<UploadResponse> {
  const source = describeSource(file)
  const fields = uploadFields(source, options)
  // An unknown size (a URL source) compares false. Checked here, not in uploadFields: the queue
  // refuses a file over maxFileSize when it is added (rejectFile, worded for a person), so its
  // bundle need not carry this second check.
  if ((source.size as number) > (options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE))
    throw refuse('file', FILE_TOO_LARGE)
  return sendUpload(file, await (options.signer || signV1)(fields, options, call?.signal), options, call)
}

/**
 * The local check and the wire fields of one upload, before any request: refuses a missing
 * `fileName` (the source's name is the default) with a `validation` `UploadError`, then returns the options as wire strings in wire order, without auth (what a
 * `Signer` gets).
 */
export function uploadFields(
  source: { size?: number; name?: string },
  options: UploadOptions,
): Record<string, string> {
  const fileName = options.fileName || source.name
  if (!fileName) throw refuse('fileName')
  // encodeUploadFields' loop, writing a record at once (fewer bytes than its pairs made into one).
  const fields: Record<string, string> = {}
  for (const name of UPLOAD_FIELD_NAMES) {
    const value = encodeFieldValue(name, name === 'fileName' ? fileName : options[name])
    if (value != null) fields[name] = value
  }
  return fields
}

/**
 * Sends one signed attempt: `signed.fields` in their order, then `file` last (so a streaming server
 * judges every field before it reads the bytes) with `signed.fields.fileName` as its filename, to
 * `uploadEndpoint` or else the signer's endpoint. Resolves with the response once it carries
 * `fileId`, `name`, `url` and `filePath`; rejects with an `UploadError` otherwise.
 */
export async function sendUpload(
  file: UploadSource,
  signed: SignedUpload,
  options: UploadConfig,
  { signal, onProgress, timeout, stallTimeout }: UploadCallOptions = {},
): Promise<UploadResponse> {
  const body = new FormData()
  for (const [name, value] of Object.entries(signed.fields)) body.append(name, value)
  if (typeof file === 'string') body.append('file', file)
  else body.append('file', file, signed.fields.fileName)

  const transport =
    options.transport ?? (typeof XMLHttpRequest === 'undefined' ? fetchTransport : xhrTransport)
  const response = await withTimeout(
    signal,
    'The upload',
    (timed, touch) =>
      transport({
        url: options.uploadEndpoint || signed.endpoint,
        body,
        signal: timed,
        // Wrapped only when needed: an XHR upload listener makes a cross-origin POST preflighted.
        onProgress:
          onProgress || stallTimeout
            ? (progress) => {
                touch()
                onProgress?.(progress)
              }
            : undefined,
      }),
    'network',
    timeout,
    stallTimeout,
  )
  const { status, text } = response
  let json: Partial<Record<'message' | 'help' | 'fileId' | 'name' | 'url' | 'filePath', unknown>> | undefined
  try {
    json = JSON.parse(text)
  } catch {}
  const ok = status > 199 && status < 300
  // A success carries the response's required fields; a 2xx with `{"error": ...}` or `[]` is not
  // one, whatever its status says (issue 9, defect 7).
  if (
    ok &&
    (['fileId', 'name', 'url', 'filePath'] as const).every((name) => typeof json?.[name] === 'string')
  )
    return json as UploadResponse
  // Read only where it matters: a browser warns about each header CORS does not expose. Delta-seconds
  // or an HTTP date; a date in the past, or a value that is neither, counts as none.
  const header = status > 428 && response.header('retry-after')
  // +false and +null are 0, and so is none; NaN (a date) is not >= 0.
  const retryAfter =
    +(header as string) >= 0 ? +(header as string) : (Date.parse(header as string) - Date.now()) / 1000
  // A 4xx/5xx with the spec's error body carries the server's own words; anything else is described.
  throw new UploadError(
    'server',
    !ok && typeof json?.message === 'string'
      ? json.message
      : `The upload server ${unexpectedReply(status, text)}`,
    {
      status,
      help: typeof json?.help === 'string' ? json.help : undefined,
      retryAfter: retryAfter > 0 ? retryAfter : undefined,
    },
  )
}
