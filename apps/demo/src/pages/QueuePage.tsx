import { IKDropzone, type UseDropzoneResult } from '@ik-upload/react'
import { type ReactNode, useEffect, useRef, useState } from 'react'
import { type LastFocus, useFocusRescue } from '../a11y/useFocusRescue'
import { formatBytes } from '../components/formatBytes'
import { ProgressBar } from '../components/ProgressBar'
import { QueueItemRow } from '../components/QueueItemRow'
import { ResponsePanel } from '../components/ResponsePanel'
import { RestrictionsPanel } from '../options/RestrictionsPanel'
import {
  describeRestrictions,
  EMPTY_RESTRICTIONS,
  restrictionsFromForm,
  uploaderRestrictions,
} from '../options/restrictions'
import { useDemoState } from '../state/DemoState'
import { useServerStatus } from '../state/ServerStatus'

/** Uploads at once; passed to the dropzone and written into its hint from the same constant. */
const CONCURRENCY = 3

const uploadIcon = (
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
)

/**
 * Takes files pasted anywhere on the page, so "Paste works too" holds wherever focus is. The zone
 * takes pastes inside itself and marks them handled (`preventDefault`), so none is taken twice.
 */
function PasteAnywhere({ onFiles }: { onFiles: (files: FileList) => void }): null {
  const latest = useRef(onFiles)
  latest.current = onFiles
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const files = event.clipboardData?.files
      if (event.defaultPrevented || !files?.length) return
      event.preventDefault()
      latest.current(files)
    }
    document.addEventListener('paste', onPaste)
    return () => document.removeEventListener('paste', onPaste)
  }, [])
  return null
}

/**
 * Where focus goes when the focused button disappears: the same row's first button (Cancel became
 * Retry and Remove), else the row that took the removed one's place, else the one above, else the
 * summary's button, else the drop zone's button.
 */
function nextFocus(last: LastFocus, list: HTMLElement): HTMLElement | null {
  const rows = [...list.querySelectorAll<HTMLElement>('[data-row]')]
  const same = rows.find((row) => row.dataset.row === last.row)
  const row = same ?? rows[last.index] ?? rows[last.index - 1] ?? rows.at(-1)
  return (
    row?.querySelector<HTMLElement>('.queue-actions button') ??
    list.querySelector<HTMLElement>('.summary button') ??
    list.closest('.dropzone')?.querySelector<HTMLElement>(':scope > button') ??
    null
  )
}

/** The queue under the drop zone: totals, Cancel all / Clear, and a row per file. */
function QueueList({ zone }: { zone: UseDropzoneResult }): ReactNode {
  const box = useRef<HTMLDivElement>(null)
  useFocusRescue(box, nextFocus)
  // An attempt failed and the item waits to retry: ask the server now, so the header's badge says
  // whether it is down while the row counts down, not only after the last retry.
  const { check } = useServerStatus()
  const waiting = zone.items.some((item) => item.retryAt !== undefined)
  useEffect(() => {
    if (waiting) void check()
  }, [waiting, check])
  return (
    // Always rendered (empty when the queue is), so the rescue still runs after Clear empties it.
    <div ref={box} style={{ display: zone.items.length ? 'grid' : 'none', gap: 16 }}>
      {zone.items.length > 0 && (
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
      )}
    </div>
  )
}

/** A multi-file queue on `IKDropzone`: previews, progress, cancel, retry, and live restrictions. */
export function QueuePage(): ReactNode {
  const { recordSuccess, recordError } = useDemoState()
  const [form, setForm] = useState(EMPTY_RESTRICTIONS)
  const restrictions = restrictionsFromForm(form)
  const hint = describeRestrictions({ ...restrictions, concurrency: CONCURRENCY })
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
          {...uploaderRestrictions(restrictions)}
          concurrency={CONCURRENCY}
          label={
            <>
              {uploadIcon}
              <strong>Drop files here or choose files</strong>
              <span className="dropzone-hint" data-testid="dropzone-hint">
                Paste works too, anywhere on this page. {hint}
              </span>
            </>
          }
          onSuccess={(result, item) => recordSuccess(result, { source: 'queue', fileName: item.file.name })}
          onError={(error, item) => recordError(error, { source: 'queue', fileName: item.file.name })}
        >
          {(zone) => (
            <>
              <PasteAnywhere onFiles={zone.upload} />
              <QueueList zone={zone} />
            </>
          )}
        </IKDropzone>
        <div className="stack">
          <RestrictionsPanel form={form} onChange={setForm} />
          <ResponsePanel source="queue" />
        </div>
      </div>
    </>
  )
}
