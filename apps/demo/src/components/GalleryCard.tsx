import {
  buildSrc,
  buildTransformationString,
  type Transformation,
  type TransformationPosition,
} from '@ik-upload/react'
import { type ReactNode, useState } from 'react'
import { demoConfig } from '../demoConfig'
import type { GalleryEntry } from '../state/DemoState'
import { DeliveryImage } from './DeliveryImage'
import { formatBytes } from './formatBytes'

/**
 * How wide a card is, so the browser picks the smallest `srcSet` width that fills it: the gallery
 * grid (columns of at least 320px, 20px apart, in `main`'s 1132px with 24px padding each side).
 */
export const CARD_SIZES =
  '(min-width: 1180px) 364px, (min-width: 1048px) calc((100vw - 88px) / 3), ' +
  '(min-width: 708px) calc((100vw - 68px) / 2), calc(100vw - 48px)'

const THUMBNAIL: Transformation[] = [{ named: 'ik_ml_thumbnail' }]
const RESIZE: Transformation[] = [{ width: 240, height: 160 }]

interface GalleryCardProps {
  entry: GalleryEntry
  /** Steps for the card's main image, from the gallery's picker. @default none */
  transformation?: Transformation[]
  /** @default 'query' */
  transformationPosition?: TransformationPosition
}

/**
 * One uploaded file: a responsive `IKImage` (srcSet for the card's width, a blurred placeholder
 * while it loads) with the URL it builds and the one the browser fetched; then the original at the
 * size the server measured, its thumbnail and a resize. Private files load through signed URLs.
 */
export function GalleryCard({
  entry,
  transformation = [],
  transformationPosition,
}: GalleryCardProps): ReactNode {
  const { result, isPrivate } = entry
  const isImage = result.fileType === 'image'
  const tags = Array.isArray(result.tags) ? (result.tags as string[]) : []
  const [fetched, setFetched] = useState<string>()
  const built = buildSrc({
    urlEndpoint: demoConfig.urlEndpoint,
    src: result.filePath,
    transformation,
    transformationPosition,
  })
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
          src={result.filePath}
          isPrivate={isPrivate}
          alt={result.name}
          sizes={CARD_SIZES}
          transformation={transformation}
          transformationPosition={transformationPosition}
          lqip
          data-variant="responsive"
          onLoad={(event) => setFetched(event.currentTarget.currentSrc)}
        />
      ) : (
        <div className="file-icon">{result.name.split('.').pop()?.toUpperCase() || 'FILE'}</div>
      )}
      <div className="gallery-body">
        <div className="gallery-title">
          <span title={result.name}>{result.name}</span>
          {isPrivate && <span className="badge private">private</span>}
        </div>
        {isImage && (
          <dl className="facts urls">
            <dt>URL</dt>
            <dd title={built} data-testid="built-url">
              {built}
            </dd>
            <dt>fetched</dt>
            <dd title={fetched} data-testid="fetched-url">
              {fetched ? (fetched.match(/w-\d+,c-at_max/)?.[0] ?? fetched) : '…'}
            </dd>
          </dl>
        )}
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
                src={result.filePath}
                isPrivate={isPrivate}
                responsive={false}
                alt={`${result.name}, original`}
                // The server's measurements, so the box keeps its shape before the bytes arrive.
                width={result.width}
                height={result.height}
                data-variant="original"
              />
              <figcaption>original</figcaption>
            </figure>
            {[
              ['thumbnail', THUMBNAIL],
              ['resized', RESIZE],
            ].map(([variant, steps]) => (
              <figure className="variant" key={variant as string}>
                <DeliveryImage
                  src={result.filePath}
                  isPrivate={isPrivate}
                  responsive={false}
                  transformation={steps as Transformation[]}
                  alt={`${result.name}, ${variant}`}
                  data-variant={variant as string}
                />
                <figcaption>tr={buildTransformationString(steps as Transformation[])}</figcaption>
              </figure>
            ))}
          </div>
        )}
      </div>
    </article>
  )
}
