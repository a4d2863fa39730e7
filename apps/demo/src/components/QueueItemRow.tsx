import type { UploadItem } from '@ik-upload/react'
import type { ReactNode } from 'react'
import { formatBytes } from './formatBytes'
import { ProgressBar } from './ProgressBar'

const LABELS: Record<UploadItem['status'], string> = {
  queued: 'queued',
  validating: 'checking',
  authenticating: 'signing',
  uploading: 'uploading',
  success: 'uploaded',
  error: 'failed',
  aborted: 'cancelled',
}

/** One file of the queue: preview, name, progress, status and its actions. */
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
  const percent = item.total ? (item.loaded * 100) / item.total : item.status === 'success' ? 100 : 0
  const working = !item.result && !item.error
  // A file refused by a local check would only be refused again; anything else may go through.
  const canRetry = item.status === 'aborted' || (item.status === 'error' && item.error.code !== 'validation')
  const name = item.file.name
  return (
    <li className="queue-item" data-testid="queue-item" data-status={item.status} aria-label={name}>
      {item.previewUrl ? (
        <img className="queue-thumb" src={item.previewUrl} alt="" />
      ) : (
        <span className="queue-thumb">{name.split('.').pop()?.slice(0, 4) || 'file'}</span>
      )}
      <div className="queue-main">
        <div className="queue-line">
          <span className="queue-name" title={name}>
            {name}
          </span>
          <span className="badge" data-status={item.status}>
            {LABELS[item.status]}
          </span>
          {item.attempt > 1 && <span className="queue-meta">attempt {item.attempt}</span>}
          <span className="queue-meta" style={{ marginLeft: 'auto' }}>
            {working ? `${formatBytes(item.loaded)} / ` : ''}
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
