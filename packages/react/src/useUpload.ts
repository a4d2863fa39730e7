'use client'
import {
  createUploader,
  mergeOptions,
  type Uploader,
  type UploaderOptions,
  type UploaderState,
  type UploadItem,
} from '@ik-upload/core'
import { useEffect, useState, useSyncExternalStore } from 'react'
import { useIKConfig } from './IKContext'

/** Options of `useUpload`: any uploader option, over the ones of the nearest `IKContext`. */
export interface UseUploadOptions extends Partial<UploaderOptions> {}

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
 * The uploader of a component, created once, fed the latest options after every render, and
 * cleared on unmount (which aborts its uploads and revokes its preview URLs). It does not subscribe,
 * so a component that only starts uploads never re-renders on progress.
 */
export function useUploader(options: UseUploadOptions): Uploader {
  const config = mergeOptions(useIKConfig(), options) as UploaderOptions
  const [uploader] = useState(() => createUploader(config))
  // Callbacks are read when called, so the latest props win without re-creating the uploader.
  useEffect(() => uploader.setOptions(config))
  // Under StrictMode this cleanup also runs once right after mount: clear() on an empty list is a no-op.
  useEffect(() => () => uploader.clear(), [uploader])
  return uploader
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
