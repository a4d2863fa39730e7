import { type ReactNode, type RefObject, useRef } from 'react'
import { useFocusRescue } from '../a11y/useFocusRescue'
import { withoutUrls } from '../a11y/withoutUrls'
import { ProgressBar } from './ProgressBar'
import type { FileStatus } from './useUploadStatus'

const LABELS: Record<FileStatus['status'], string> = {
  uploading: 'uploading',
  success: 'uploaded',
  error: 'failed',
  aborted: 'cancelled',
}

/** What the live region says: progress in steps of 25%, then the outcome in words, never a URL. */
export function announcement(file: FileStatus | undefined): string {
  if (!file) return ''
  switch (file.status) {
    case 'uploading':
      return `Uploading ${file.name}, ${Math.floor(file.percent / 25) * 25}% done.`
    case 'success':
      return `${file.name} uploaded.`
    case 'aborted':
      return `${file.name} cancelled.`
    case 'error':
      return `${file.name} failed: ${withoutUrls(file.message ?? 'unknown error')}`
  }
}

/**
 * An `IKUpload`'s file beside it: name, state, progress and a Cancel while it uploads, plus the
 * page's live region. When Cancel disappears (pressed, or the upload ended), focus goes back to
 * the input instead of falling to the page.
 */
export function UploadStatus({
  file,
  onCancel,
  input,
}: {
  file: FileStatus | undefined
  onCancel: () => void
  /** The `IKUpload` the status belongs to: focus returns there. */
  input: RefObject<HTMLInputElement | null>
}): ReactNode {
  const box = useRef<HTMLDivElement>(null)
  useFocusRescue(box, () => input.current)
  return (
    <div ref={box}>
      {file && (
        <div className="upload-status" data-testid="upload-status" data-status={file.status}>
          <span className="queue-name">{file.name}</span>
          <span className="badge" data-status={file.status}>
            {file.status === 'uploading' ? `${Math.floor(file.percent)}%` : LABELS[file.status]}
          </span>
          {file.status === 'uploading' && (
            <button
              type="button"
              className="button small danger"
              onClick={onCancel}
              aria-label={`Cancel ${file.name}`}
            >
              Cancel
            </button>
          )}
          <ProgressBar value={file.percent} label={`Upload of ${file.name}`} status={file.status} />
        </div>
      )}
      <div role="status" className="visually-hidden" data-testid="upload-announcement">
        {announcement(file)}
      </div>
    </div>
  )
}
