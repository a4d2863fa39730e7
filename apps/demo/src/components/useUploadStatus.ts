import type { IKUploadElement, UploadError, UploadItem, UploadResponse } from '@ik-upload/react'
import { type RefObject, useRef, useState } from 'react'

/** Where the latest file of an `IKUpload` stands, from its callbacks. */
export interface FileStatus {
  name: string
  percent: number
  status: 'uploading' | 'success' | 'error' | 'aborted'
  /** The error's message, when it failed. */
  message?: string
}

/** The callbacks an `IKUpload` takes to report to `useUploadStatus`. */
export interface StatusCallbacks {
  onUploadStart(file: File): void
  onUploadProgress(progress: { loaded: number; total: number }, item: UploadItem): void
  onSuccess(result: UploadResponse, item: UploadItem): void
  onError(error: UploadError, item: UploadItem): void
}

/**
 * The state an `IKUpload` does not show (its input says "No file chosen" once it has handed the
 * file on): the file's name, progress and outcome, and a cancel through the ref's `abort()`.
 * The page's own `onSuccess`/`onError` run after the status is updated.
 */
export function useUploadStatus(page: Pick<StatusCallbacks, 'onSuccess' | 'onError'>): {
  ref: RefObject<IKUploadElement | null>
  file: FileStatus | undefined
  callbacks: StatusCallbacks
  cancel(): void
} {
  const ref = useRef<IKUploadElement>(null)
  const [file, setFile] = useState<FileStatus>()
  return {
    ref,
    file,
    callbacks: {
      onUploadStart: (started) => setFile({ name: started.name, percent: 0, status: 'uploading' }),
      onUploadProgress: ({ loaded, total }, item) =>
        setFile({ name: item.file.name, percent: total ? (loaded * 100) / total : 0, status: 'uploading' }),
      onSuccess: (result, item) => {
        setFile({ name: item.file.name, percent: 100, status: 'success' })
        page.onSuccess(result, item)
      },
      onError: (error, item) => {
        setFile({ name: item.file.name, percent: 0, status: 'error', message: error.message })
        page.onError(error, item)
      },
    },
    cancel: () => {
      // abort() ends the upload without onError (a cancel is not a failure), so say it here.
      ref.current?.abort()
      setFile((current) => current && { ...current, status: 'aborted' })
    },
  }
}
