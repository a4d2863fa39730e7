import { encodeUploadFields, type UploadFieldOptions } from '../protocol/fields'
import { FILE_TOO_LARGE, missingParameter } from '../protocol/messages'
import { DEFAULT_MAX_FILE_SIZE } from '../protocol/rules'
import type { UploadResponse } from '../protocol/uploadResponse'
import { type AuthConfig, fetchAuthParams } from './fetchAuthParams'
import { unexpectedReply, withTimeout } from './signals'
import { fetchTransport, type Transport, xhrTransport } from './transport'
import { UploadError } from './UploadError'

/** ImageKit's v1 upload URL, the default `uploadEndpoint`. */
export const IMAGEKIT_UPLOAD_ENDPOINT = 'https://upload.imagekit.io/api/v1/files/upload'

/** Where and how to upload: the account, the auth source, the server. */
export interface UploadConfig extends AuthConfig {
  /** The account's public key; sent with every upload. */
  publicKey: string
  /** The upload API URL; point it at the local server in development. @default 'https://upload.imagekit.io/api/v1/files/upload' */
  uploadEndpoint?: string
  /** Largest file accepted, in bytes; larger files are refused before anything is sent. @default 26214400 (25 MB) */
  maxFileSize?: number
  /** How the multipart body is sent. @default XHR where it exists (real progress), else fetch */
  transport?: Transport
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
  throw new UploadError(
    'validation',
    'file must be a File, a Blob, base64 text, a data URI or an http(s) URL.',
    {
      field: 'file',
    },
  )
}

/**
 * Uploads one file: refuses a missing `publicKey` or `fileName` and a file over `maxFileSize`
 * locally, fetches fresh auth parameters, sends the multipart request and resolves with the
 * response once it carries `fileId`, `name`, `url` and `filePath`. Every failure rejects with an
 * `UploadError`. The value rules of the other fields (tags, folder, ...) are the server's, which
 * answers the spec's message; the queue (`createUploader`) checks them before any request, and
 * `checkUploadOptions` from `@ik-upload/core/protocol` does it for a caller of `upload()`.
 */
export async function upload(
  file: UploadSource,
  options: UploadOptions,
  call?: UploadCallOptions,
): Promise<UploadResponse> {
  return uploadDescribed(file, describeSource(file), options, call)
}

/**
 * `upload()` for a source already described: the queue passes a `File` as its own description
 * (it has `size` and `name`), so its bundle holds none of the string-source code.
 */
export async function uploadDescribed(
  file: UploadSource,
  source: { size?: number; name?: string },
  options: UploadOptions,
  { signal, onProgress, timeout, stallTimeout }: UploadCallOptions = {},
): Promise<UploadResponse> {
  const url = options.uploadEndpoint || IMAGEKIT_UPLOAD_ENDPOINT
  const fileName = options.fileName || source.name
  const missing = !options.publicKey ? 'publicKey' : !fileName ? 'fileName' : ''
  if (missing) throw new UploadError('validation', missingParameter(missing), { field: missing })
  // An unknown size (a URL source) compares false.
  if ((source.size as number) > (options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE))
    throw new UploadError('validation', FILE_TOO_LARGE, { field: 'file' })

  const auth = await fetchAuthParams(options, signal)
  const body = new FormData()
  // The options, then the auth fields (token, expire, signature).
  for (const [name, value] of [
    ...encodeUploadFields({ ...options, fileName }),
    ...Object.entries({ publicKey: options.publicKey, ...auth }),
  ])
    body.append(name, String(value))
  // The file goes last, so a streaming server judges every field before it reads the bytes.
  if (typeof file === 'string') body.append('file', file)
  else body.append('file', file, fileName)

  const transport =
    options.transport ?? (typeof XMLHttpRequest === 'undefined' ? fetchTransport : xhrTransport)
  const response = await withTimeout(
    signal,
    'The upload',
    (timed, touch) =>
      transport({
        url,
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
  if (ok && [json?.fileId, json?.name, json?.url, json?.filePath].every((value) => typeof value === 'string'))
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
