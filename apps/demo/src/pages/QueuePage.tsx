import { IKDropzone } from '@ik-upload/react'
import type { ReactNode } from 'react'
import { formatBytes } from '../components/formatBytes'
import { ProgressBar } from '../components/ProgressBar'
import { QueueItemRow } from '../components/QueueItemRow'
import { ResponsePanel } from '../components/ResponsePanel'
import { useDemoState } from '../state/DemoState'

const dropLabel = (
  <>
    <span className="dropzone-icon" aria-hidden="true">
      <svg
        aria-hidden="true"
        width="22"
        height="22"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      >
        <path d="M12 16V4m0 0L7 9m5-5 5 5M5 15v3a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-3" strokeLinecap="round" />
      </svg>
    </span>
    <strong>Drop files here or choose files</strong>
    <span>Paste works too. Up to 25 MB each; three upload at a time.</span>
  </>
)

/** A multi-file queue on `IKDropzone`: previews, progress, cancel, retry. */
export function QueuePage(): ReactNode {
  const { recordSuccess, recordError } = useDemoState()
  return (
    <>
      <header className="page-head">
        <h1>Upload queue</h1>
        <p>
          <code>&lt;IKDropzone&gt;</code> takes files by drag and drop, paste, click or keyboard. Each file
          gets its own progress, cancel and retry; failed network attempts retry with a fresh token.
        </p>
      </header>
      <div className="grid-2">
        <IKDropzone
          className="card dropzone"
          aria-label="Upload queue"
          label={dropLabel}
          onSuccess={(result, item) => recordSuccess(result, { source: 'queue', fileName: item.file.name })}
          onError={(error, item) => recordError(error, { fileName: item.file.name })}
        >
          {(zone) =>
            zone.items.length === 0 ? null : (
              <>
                <div className="summary">
                  <span>
                    {zone.results.length}/{zone.items.length} uploaded
                  </span>
                  <ProgressBar value={zone.progress} label="Queue progress" />
                  <span>
                    {formatBytes(zone.loaded)} / {formatBytes(zone.total)}
                  </span>
                  {zone.isUploading ? (
                    <button type="button" className="button small danger" onClick={() => zone.abort()}>
                      Cancel all
                    </button>
                  ) : (
                    <button type="button" className="button small" onClick={zone.clear}>
                      Clear
                    </button>
                  )}
                </div>
                <ul className="queue" aria-label="Files">
                  {zone.items.map((item) => (
                    <QueueItemRow
                      key={item.id}
                      item={item}
                      onAbort={() => zone.abort(item.id)}
                      onRetry={() => zone.retry(item.id)}
                      onRemove={() => zone.remove(item.id)}
                    />
                  ))}
                </ul>
              </>
            )
          }
        </IKDropzone>
        <ResponsePanel />
      </div>
    </>
  )
}
