'use client'
import type { UploaderState, UploadItem } from '@ik-upload/core'
import { useSyncExternalStore } from 'react'
import { type UseUploadOptions, useUploader } from './useUploader'

export { type UseUploadOptions, useUploader } from './useUploader'

/** The uploader's state and its actions. */
export interface UseUploadResult extends UploaderState {
  /** Queues files (a `FileList`, an array) and returns their new items. */
  upload(files: Iterable<File> | ArrayLike<File>): UploadItem[]
  /** Aborts one item, or every unfinished one when no id is given. */
  abort(id?: string): void
  /** Queues a failed or aborted item again. */
  retry(id: string): void
  /** Aborts an item if it is unfinished and drops it from the list. */
  remove(id: string): void
  /** Aborts everything and empties the list. */
  clear(): void
}

/**
 * Uploads files and renders their progress: items, aggregate progress, `isUploading`, results,
 * errors and the actions. State is read through `useSyncExternalStore`, and the store coalesces
 * progress, so a long queue costs a few renders per second. Unmounting aborts what is unfinished.
 */
export function useUpload(options: UseUploadOptions = {}): UseUploadResult {
  const uploader = useUploader(options)
  const state = useSyncExternalStore(uploader.subscribe, uploader.getSnapshot, uploader.getSnapshot)
  const { add, abort, retry, remove, clear } = uploader
  return { ...state, upload: add, abort, retry, remove, clear }
}
