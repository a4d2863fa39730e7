import type { UploadResponse } from '../protocol/uploadResponse'
import type { UploadError } from './UploadError'
import type { FileRejection, UploadItem } from './UploadItem'

/** The changes an item goes through; a patch with a `status` starts that status afresh. */
export type ItemPatch =
  | { status: 'queued' | 'validating' | 'authenticating'; attempt: number; loaded: 0; retryAt?: number }
  | { status: 'uploading'; fields: Record<string, string> }
  | { status: 'success'; loaded: number; result: UploadResponse }
  | { status: 'error' | 'aborted'; error: UploadError; rejection?: FileRejection }
  /** Progress: applies only while the item is uploading. */
  | { loaded: number }

/**
 * The item after a patch (pure). A patch with a `status` starts that status afresh, dropping the old
 * result, error, rejection and retry time (the sent `fields` stay until the next send); a progress
 * patch applies only while the item is uploading, so no late event can move a finished bar.
 */
export function patchItem(item: UploadItem, patch: ItemPatch): UploadItem {
  const { result, error, rejection, retryAt, ...base } = item
  return 'status' in patch
    ? ({ ...base, ...patch } as UploadItem)
    : item.status === 'uploading'
      ? { ...item, ...patch }
      : item
}

/** Finished: uploaded, failed or aborted. */
export const isDone = (item: UploadItem): boolean => !!(item.result || item.error)
