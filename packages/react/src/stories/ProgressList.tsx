import { type UploadItem, type UseUploadOptions, useUpload } from '@ik-upload/react'
import type { CSSProperties } from 'react'

/** What an item is doing, in words: the attempt shows while a retry is under way. */
function describe(item: UploadItem): string {
  const attempt = item.attempt > 1 ? ` (attempt ${item.attempt})` : ''
  switch (item.status) {
    case 'queued':
      return 'Waiting'
    case 'validating':
      return 'Checking'
    case 'authenticating':
      return `Signing${attempt}`
    case 'uploading':
      return `Uploading ${item.total ? Math.floor((item.loaded * 100) / item.total) : 0}%${attempt}`
    case 'success':
      return `Uploaded as ${item.result.filePath}${item.attempt > 1 ? ` after ${item.attempt} attempts` : ''}`
    case 'error':
      return 'Failed'
    case 'aborted':
      return 'Aborted'
  }
}

const row: CSSProperties = { display: 'grid', gap: 4, padding: '8px 0', borderBottom: '1px solid #ddd' }

/**
 * A custom upload UI over `useUpload`: a file input, the overall progress, and one row per file
 * with its status, progress, error, and Abort / Retry / Remove.
 */
export function ProgressList(options: UseUploadOptions) {
  const { items, progress, isUploading, upload, abort, retry, remove, clear } = useUpload(options)
  return (
    // No <section aria-label> landmark: a widget may show twice on a page (a Docs page shows every
    // story), and landmarks need unique names (axe's landmark-unique).
    <div style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 560 }}>
      <label>
        Choose files{' '}
        <input
          type="file"
          multiple
          onChange={(event) => {
            upload(event.target.files ?? [])
            // Reset, or picking the same file again fires no change event.
            event.target.value = ''
          }}
        />
      </label>
      <p>
        <progress aria-label="All files" max={100} value={progress} /> {progress}%{' '}
        <span role="status">{isUploading ? 'Uploading…' : items.length ? 'Done' : 'No files yet'}</span>
      </p>
      <ul aria-label="Files" style={{ listStyle: 'none', padding: 0 }}>
        {items.map((item) => {
          const name = item.file.name
          const finished = item.status === 'success' || item.status === 'error' || item.status === 'aborted'
          return (
            <li key={item.id} aria-label={name} data-status={item.status} style={row}>
              <span>
                <strong>{name}</strong>: <span>{describe(item)}</span>
              </span>
              <progress aria-label={`${name} progress`} max={item.total || 1} value={item.loaded} />
              {item.error && item.status === 'error' && (
                <span role="alert" style={{ color: '#b00020' }}>
                  {item.error.message}
                  {item.error.status ? ` (HTTP ${item.error.status})` : ''}
                </span>
              )}
              <span style={{ display: 'flex', gap: 8 }}>
                {!finished && (
                  <button type="button" onClick={() => abort(item.id)}>
                    Abort {name}
                  </button>
                )}
                {/* A file refused by a restriction would be refused again: no Retry for it. */}
                {finished && item.error && !item.rejection && (
                  <button type="button" onClick={() => retry(item.id)}>
                    Retry {name}
                  </button>
                )}
                {finished && (
                  <button type="button" onClick={() => remove(item.id)}>
                    Remove {name}
                  </button>
                )}
              </span>
            </li>
          )
        })}
      </ul>
      <button type="button" onClick={clear} disabled={!items.length}>
        Clear all
      </button>
    </div>
  )
}
