import { type UseUploadOptions, useUpload } from '@ik-upload/react'
import type { CSSProperties } from 'react'

const grid: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'repeat(auto-fill, minmax(120px, 1fr))',
  gap: 12,
  listStyle: 'none',
  padding: 0,
}

/**
 * A custom upload UI over `useUpload`: a grid of pictures; each shows its local preview while it
 * uploads, then the server's thumbnail (`thumbnailUrl`), or the error.
 */
export function Gallery(options: UseUploadOptions) {
  const { items, upload } = useUpload({ accept: 'image/*', folder: '/gallery', ...options })
  return (
    // No <section aria-label> landmark: a widget may show twice on a page (a Docs page shows every
    // story), and landmarks need unique names (axe's landmark-unique).
    <div style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640 }}>
      <label>
        Add pictures{' '}
        <input
          type="file"
          accept="image/*"
          multiple
          onChange={(event) => {
            upload(event.target.files ?? [])
            event.target.value = ''
          }}
        />
      </label>
      <ul aria-label="Pictures" style={grid}>
        {items.map((item) => (
          <li key={item.id}>
            <figure style={{ margin: 0 }} data-status={item.status}>
              {(item.result?.thumbnailUrl ?? item.previewUrl) && (
                <img
                  src={item.result?.thumbnailUrl ?? item.previewUrl}
                  alt={item.file.name}
                  style={{
                    width: '100%',
                    aspectRatio: '1',
                    objectFit: 'cover',
                    opacity: item.result ? 1 : 0.4,
                  }}
                />
              )}
              <figcaption style={{ fontSize: 12, overflowWrap: 'anywhere' }}>
                {item.result
                  ? item.result.name
                  : item.error
                    ? item.error.message
                    : `${item.total ? Math.floor((item.loaded * 100) / item.total) : 0}%`}
              </figcaption>
            </figure>
          </li>
        ))}
      </ul>
    </div>
  )
}
