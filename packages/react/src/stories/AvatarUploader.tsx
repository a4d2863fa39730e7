import { type UseUploadOptions, useUpload } from '@ik-upload/react'
import type { CSSProperties } from 'react'
import { visuallyHidden } from '../useDropzone'

const SIZE = 128

const circle: CSSProperties = {
  width: SIZE,
  height: SIZE,
  borderRadius: '50%',
  overflow: 'hidden',
  display: 'grid',
  placeItems: 'center',
  background: '#e8e8f0',
  border: '3px solid #889',
  cursor: 'pointer',
  fontSize: 48,
  color: '#667',
}

/**
 * A custom upload UI over `useUpload`: one image; the local preview shows at once (`previewUrl`),
 * then the delivered image, resized by a URL transformation, replaces it.
 */
export function AvatarUploader(options: UseUploadOptions) {
  const { items, upload, clear } = useUpload({ accept: 'image/*', folder: '/avatars', ...options })
  const item = items[items.length - 1]
  const src = item?.result ? `${item.result.url}?tr=w-${SIZE},h-${SIZE}` : item?.previewUrl
  const status = !item
    ? 'Pick a picture'
    : item.result
      ? 'Avatar saved'
      : item.error
        ? `Not saved: ${item.error.message}`
        : `Saving… ${item.total ? Math.floor((item.loaded * 100) / item.total) : 0}%`
  return (
    <div style={{ display: 'grid', gap: 8, justifyItems: 'center', fontFamily: 'system-ui, sans-serif' }}>
      {/* A label over a visually hidden input: clicks open the picker, keyboards reach the input. */}
      <label style={circle}>
        {src ? (
          <img
            src={src}
            alt="Your avatar"
            width={SIZE}
            height={SIZE}
            style={{ opacity: item?.result ? 1 : 0.5 }}
          />
        ) : (
          '+'
        )}
        <input
          type="file"
          accept="image/*"
          aria-label="Change avatar"
          style={visuallyHidden}
          onChange={(event) => {
            const file = event.target.files?.[0]
            event.target.value = ''
            if (!file) return
            // One avatar: the new pick replaces (and aborts) the last one.
            clear()
            upload([file])
          }}
        />
      </label>
      <span role="status">{status}</span>
    </div>
  )
}
