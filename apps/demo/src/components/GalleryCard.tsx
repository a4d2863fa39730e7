import type { ReactNode } from 'react'
import type { GalleryEntry } from '../state/DemoState'
import { DeliveryImage } from './DeliveryImage'
import { formatBytes } from './formatBytes'

/** The resize shown beside the thumbnail: a `tr:` path segment the delivery endpoint applies. */
const RESIZE = 'w-240,h-160'
const THUMBNAIL = 'n-ik_ml_thumbnail'

/** One uploaded file: the image at the size the server measured, its thumbnail and a resize. */
export function GalleryCard({ entry }: { entry: GalleryEntry }): ReactNode {
  const { result, isPrivate } = entry
  const isImage = result.fileType === 'image'
  const tags = Array.isArray(result.tags) ? (result.tags as string[]) : []
  return (
    <article
      className="card gallery-card"
      data-testid="gallery-card"
      data-file-id={result.fileId}
      data-file-path={result.filePath}
      aria-label={result.name}
    >
      {isImage ? (
        <DeliveryImage
          className="gallery-image"
          filePath={result.filePath}
          isPrivate={isPrivate}
          alt={result.name}
          // The server's measurements, so the card keeps its shape before the bytes arrive.
          width={result.width}
          height={result.height}
          data-variant="original"
        />
      ) : (
        <div className="file-icon">{result.name.split('.').pop()?.toUpperCase() || 'FILE'}</div>
      )}
      <div className="gallery-body">
        <div className="gallery-title">
          <span title={result.name}>{result.name}</span>
          {isPrivate && <span className="badge private">private</span>}
        </div>
        <dl className="facts">
          {isImage && (
            <>
              <dt>size</dt>
              <dd data-testid="dimensions">
                {result.width} × {result.height} px
              </dd>
            </>
          )}
          <dt>bytes</dt>
          <dd>{formatBytes(result.size)}</dd>
          <dt>path</dt>
          <dd title={result.filePath}>{result.filePath}</dd>
          <dt>fileId</dt>
          <dd>{result.fileId}</dd>
          {tags.length > 0 && (
            <>
              <dt>tags</dt>
              <dd>{tags.join(', ')}</dd>
            </>
          )}
        </dl>
        {isImage && (
          <div className="variants">
            <figure className="variant">
              <DeliveryImage
                filePath={result.filePath}
                transformation={THUMBNAIL}
                isPrivate={isPrivate}
                alt={`${result.name}, thumbnail`}
                data-variant="thumbnail"
                loading="lazy"
              />
              <figcaption>tr:{THUMBNAIL}</figcaption>
            </figure>
            <figure className="variant">
              <DeliveryImage
                filePath={result.filePath}
                transformation={RESIZE}
                isPrivate={isPrivate}
                alt={`${result.name}, resized`}
                data-variant="resized"
                loading="lazy"
              />
              <figcaption>tr:{RESIZE}</figcaption>
            </figure>
          </div>
        )}
      </div>
    </article>
  )
}
