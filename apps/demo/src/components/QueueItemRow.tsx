import type { UploadItem } from '@ik-upload/react'
import type { ReactNode } from 'react'
import { formatBytes } from './formatBytes'
import { ProgressBar } from './ProgressBar'
import { useSecondsLeft } from './useSecondsLeft'

const LABELS: Record<UploadItem['status'], string> = {
  queued: 'queued',
  validating: 'checking',
  authenticating: 'signing',
  uploading: 'uploading',
  success: 'uploaded',
  error: 'failed',
  aborted: 'cancelled',
}

/**
 * One file of the queue: preview, name, status, size, progress and its actions. A row waiting to
 * retry says so, with the seconds left (the kit's `retryAt`), instead of looking stuck at 0%.
 */
export function QueueItemRow({
  item,
  onAbort,
  onRetry,
  onRemove,
}: {
  item: UploadItem
  onAbort: () => void
  onRetry: () => void
  onRemove: () => void
}): ReactNode {
  const secondsLeft = useSecondsLeft(item.retryAt)
  const waiting = secondsLeft !== undefined
  const percent = item.total ? (item.loaded * 100) / item.total : item.status === 'success' ? 100 : 0
  const working = !item.result && !item.error
  // A file refused by a local check would only be refused again; anything else may go through.
  const canRetry = item.status === 'aborted' || (item.status === 'error' && item.error.code !== 'validation')
  const name = item.file.name
  return (
    <li
      className="queue-item"
      data-testid="queue-item"
      data-row={item.id}
      data-status={item.status}
      data-waiting={waiting || undefined}
      aria-label={name}
    >
      {item.previewUrl ? (
        <img className="queue-thumb" src={item.previewUrl} alt="" />
      ) : (
        <span className="queue-thumb" aria-hidden="true">
          {name.split('.').pop()?.slice(0, 4) || 'file'}
        </span>
      )}
      <div className="queue-main">
        <div className="queue-line">
          <span className="queue-name">{name}</span>
          <span
            className="badge"
            data-status={item.status}
            data-waiting={waiting || undefined}
            data-testid="queue-status"
          >
            {waiting ? `retrying in ${secondsLeft} s` : LABELS[item.status]}
          </span>
          {waiting && <span className="queue-meta">attempt {item.attempt} failed</span>}
          {!waiting && item.attempt > 1 && <span className="queue-meta">attempt {item.attempt}</span>}
          <span className="queue-meta">
            {working && item.loaded > 0 ? `${formatBytes(item.loaded)} / ` : ''}
            {formatBytes(item.total)}
            {item.status === 'uploading' && ` · ${Math.floor(percent)}%`}
          </span>
        </div>
        <ProgressBar value={percent} label={`Upload of ${name}`} status={item.status} />
        {item.status === 'error' && <div className="queue-error">{item.error.message}</div>}
      </div>
      <div className="queue-actions">
        {working && (
          <button
            type="button"
            className="button small danger"
            onClick={onAbort}
            aria-label={`Cancel ${name}`}
          >
            Cancel
          </button>
        )}
        {canRetry && (
          <button type="button" className="button small" onClick={onRetry} aria-label={`Retry ${name}`}>
            Retry
          </button>
        )}
        {!working && (
          <button
            type="button"
            className="button small ghost"
            onClick={onRemove}
            aria-label={`Remove ${name}`}
          >
            Remove
          </button>
        )}
      </div>
    </li>
  )
}
