'use client'
import { createUploader, mergeOptions, type Uploader, type UploaderOptions } from '@ik-upload/core'
import { useEffect, useState } from 'react'
import { useIKConfig } from './IKContext'

/** Options of `useUpload`, `useUploader` and the upload components: any uploader option, over the ones of the nearest `IKContext`. */
export interface UseUploadOptions extends Partial<UploaderOptions> {}

/**
 * The uploader of a component, created once, fed the latest options after every render, and
 * cleared on unmount (which aborts its uploads and revokes its preview URLs). It does not subscribe,
 * so a component that only starts uploads never re-renders on progress. A module of its own, apart
 * from `useUpload`, so that `IKUpload`'s bundle holds no import it does not use.
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
