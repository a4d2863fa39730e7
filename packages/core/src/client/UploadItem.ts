import type { UploadResponse } from '../protocol/uploadResponse'
import type { UploadError } from './UploadError'

/** Where an item is: waiting, one of the three working steps, or one of the three ends. */
export type UploadStatus =
  | 'queued'
  | 'validating'
  | 'authenticating'
  | 'uploading'
  | 'success'
  | 'error'
  | 'aborted'

/** Why a file was refused before any byte was sent. */
export type RejectionCode =
  | 'file-too-large'
  | 'file-invalid-type'
  | 'too-many-files'
  | 'image-too-small'
  | 'image-too-large'
  | 'invalid-file'

/** A refusal by the uploader's restrictions: data to show, never an exception. */
export interface FileRejection {
  code: RejectionCode
  /** What to tell a person: the file, what it is and what is allowed (`photo.jpg is 30.2 MB; the limit is 25 MB.`). */
  message: string
}

interface UploadItemBase {
  /** Unique across every uploader of the page, so it is a stable React key. */
  id: string
  file: File
  /** Bytes of the file sent so far. */
  loaded: number
  /** The file's size in bytes. */
  total: number
  /** The attempt under way or last made: 0 before the first, 1 + the retries made after. */
  attempt: number
  /** An object URL of the file for images (revoked when the item is removed or cleared). */
  previewUrl?: string
  /**
   * The fields the current or last attempt sent (as wire strings, `file` and the auth fields
   * `token`, `signature`, `expire` and `publicKey` left out): with `signV2`, what the backend
   * approved, so a UI shows the folder the file really went to. Unset before the first send.
   */
  fields?: Record<string, string>
}

/** One file of the queue; `status` tells which of `result` and `error` it holds. */
export type UploadItem = UploadItemBase &
  (
    | {
        /**
         * `queued` also while the item holds a prefetched token and waits for a free upload slot
         * (see `prefetch`); `authenticating` only while its auth request is in flight.
         */
        status: 'queued' | 'validating' | 'authenticating' | 'uploading'
        result?: undefined
        error?: undefined
        rejection?: undefined
        /**
         * Set while the item waits to retry after a failed attempt (then `status` is `queued` and
         * `attempt` the attempt that failed): when the next attempt starts, in epoch milliseconds.
         * A UI shows "retrying in N s" with `Math.ceil((retryAt - Date.now()) / 1000)`.
         */
        retryAt?: number
      }
    | {
        status: 'success'
        result: UploadResponse
        error?: undefined
        rejection?: undefined
        retryAt?: undefined
      }
    | {
        status: 'error' | 'aborted'
        result?: undefined
        error: UploadError
        /** Set when the uploader's restrictions refused the file (then `error.code` is `validation`). */
        rejection?: FileRejection
        retryAt?: undefined
      }
  )
