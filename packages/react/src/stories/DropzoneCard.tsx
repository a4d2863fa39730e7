import { type UploadItem, type UseDropzoneOptions, useDropzone } from '@ik-upload/react'
import type { CSSProperties } from 'react'
import { visuallyHidden } from '../useDropzone'

const card = (isDragging: boolean): CSSProperties => ({
  display: 'grid',
  gap: 12,
  maxWidth: 420,
  padding: 20,
  borderRadius: 16,
  border: `2px ${isDragging ? 'solid #3b5bdb' : 'dashed #6b7280'}`,
  background: isDragging ? '#edf2ff' : '#fff',
  fontFamily: 'system-ui, sans-serif',
})
const row: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: '40px 1fr auto',
  gap: 8,
  alignItems: 'center',
}

function describe(item: UploadItem): string {
  if (item.status === 'success') return 'Uploaded'
  if (item.status === 'error') return item.error.message
  if (item.status === 'aborted') return 'Cancelled'
  return `${Math.round((item.loaded / (item.total || 1)) * 100)}%`
}

/**
 * A custom drop zone over `useDropzone`'s prop getters: your own markup (a card, a browse button,
 * rows with previews), the hook's behaviour (drag and drop, paste, the picker, the queue) and its
 * state (`isDragging`, `status`, `announcement`). Its props are the hook's options.
 */
export function DropzoneCard(options: UseDropzoneOptions) {
  const { items, isDragging, announcement, getRootProps, getInputProps, getButtonProps, remove } =
    useDropzone({ accept: 'image/*', ...options })
  return (
    // A group, not a <section> landmark: a widget may show twice on a page (a Docs page shows every
    // story), and landmarks need unique names (axe's landmark-unique).
    <div {...getRootProps({ role: 'group', 'aria-label': 'Photo drop area', style: card(isDragging) })}>
      <input {...getInputProps()} />
      <p style={{ margin: 0, fontWeight: 600 }}>
        {isDragging ? 'Release to add the photos' : 'Drag photos here, paste them, or'}
      </p>
      <button {...getButtonProps({ style: { justifySelf: 'start', padding: '6px 14px' } })}>
        Browse photos
      </button>
      <ul aria-label="Photos" style={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: 8 }}>
        {items.map((item) => (
          <li key={item.id} aria-label={item.file.name} data-status={item.status} style={row}>
            {item.previewUrl ? (
              <img src={item.previewUrl} alt="" width={40} height={40} style={{ borderRadius: 6 }} />
            ) : (
              <span />
            )}
            <span>
              {item.file.name}: {describe(item)}
            </span>
            <button type="button" onClick={() => remove(item.id)}>
              Remove {item.file.name}
            </button>
          </li>
        ))}
      </ul>
      {/* The hook's words for screen readers: progress in steps, then the outcome. */}
      <div role="status" style={visuallyHidden}>
        {announcement}
      </div>
    </div>
  )
}
