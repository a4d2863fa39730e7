import { type UseUploadOptions, useUpload } from '@ik-upload/react'
import { useId } from 'react'

/**
 * The least UI over `useUpload`: a file input and one line of state. Its props are exactly the
 * hook's options, so the Docs page of `useUpload` shows them.
 */
export function UploadStatus(options: UseUploadOptions) {
  const { items, progress, isUploading, results, errors, upload } = useUpload(options)
  const inputId = useId()
  return (
    <div style={{ fontFamily: 'system-ui, sans-serif' }}>
      <label htmlFor={inputId}>Choose files</label>{' '}
      <input
        id={inputId}
        type="file"
        multiple
        onChange={(event) => {
          upload(event.target.files ?? [])
          event.target.value = ''
        }}
      />
      <p role="status">
        {isUploading
          ? `Uploading, ${progress}% done`
          : items.length
            ? `${results.length} uploaded, ${errors.length} failed`
            : 'No files yet'}
      </p>
      <ul aria-label="Uploaded files">
        {results.map((result) => (
          <li key={result.fileId}>{result.filePath}</li>
        ))}
      </ul>
    </div>
  )
}
