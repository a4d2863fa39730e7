import type { ReactNode } from 'react'
import { GalleryCard } from '../components/GalleryCard'
import { useDemoState } from '../state/DemoState'

/** Everything uploaded from this browser, served back by the delivery endpoint. */
export function GalleryPage(): ReactNode {
  const { gallery, clearGallery } = useDemoState()
  return (
    <>
      <header
        className="page-head"
        style={{ display: 'flex', alignItems: 'end', justifyContent: 'space-between' }}
      >
        <div>
          <h1>Gallery</h1>
          <p>
            Each image at the size the server measured, its <code>n-ik_ml_thumbnail</code> and a{' '}
            <code>tr:</code> resize, all served by the delivery endpoint. Private files load through URLs the
            backend signs.
          </p>
        </div>
        {gallery.length > 0 && (
          <button type="button" className="button small" onClick={clearGallery}>
            Forget all
          </button>
        )}
      </header>
      {gallery.length === 0 ? (
        <div className="empty">
          Nothing yet. Upload something on <a href="#/">Quick start</a>, <a href="#/queue">Queue</a> or{' '}
          <a href="#/options">Options</a>.
        </div>
      ) : (
        <div className="gallery">
          {gallery.map((entry) => (
            <GalleryCard key={entry.result.fileId} entry={entry} />
          ))}
        </div>
      )}
    </>
  )
}
