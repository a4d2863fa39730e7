import type { TransformationPosition } from '@ik-upload/react'
import { type ReactNode, useRef, useState } from 'react'
import { useFocusRescue } from '../a11y/useFocusRescue'
import { GalleryCard } from '../components/GalleryCard'
import { TRANSFORMATION_PRESETS } from '../delivery/transformationPresets'
import { useDemoState } from '../state/DemoState'

/** Everything uploaded from this browser, shown with `IKImage` from the delivery endpoint. */
export function GalleryPage(): ReactNode {
  const { gallery, clearGallery } = useDemoState()
  const [preset, setPreset] = useState('As uploaded')
  const [position, setPosition] = useState<TransformationPosition>('query')
  const transformation = TRANSFORMATION_PRESETS[preset] ?? []
  // "Forget all" disappears with the cards: focus goes to the empty state's first link.
  const head = useRef<HTMLElement>(null)
  useFocusRescue(head, () => document.querySelector<HTMLElement>('[data-testid="gallery-empty"] a'))
  return (
    <>
      <header className="page-head with-action" ref={head}>
        <div>
          <h1>Gallery</h1>
          <p>
            Each image is an <code>&lt;IKImage src=&#123;result.filePath&#125; lqip /&gt;</code>: a{' '}
            <code>srcSet</code> of widths for the card's size, so the browser fetches no more pixels than it
            shows, with a blurred placeholder until it loads. Below it: the original at the size the server
            measured, its <code>n-ik_ml_thumbnail</code> and a resize. Private files load through URLs the
            backend signs.
          </p>
        </div>
        {gallery.length > 0 && (
          <button type="button" className="button small" onClick={clearGallery}>
            Forget all
          </button>
        )}
      </header>
      <div className="card transformation-picker">
        <label>
          Transformation{' '}
          <select value={preset} onChange={(event) => setPreset(event.target.value)}>
            {Object.keys(TRANSFORMATION_PRESETS).map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Position</legend>
          {(['query', 'path'] as const).map((value) => (
            <label key={value}>
              <input
                type="radio"
                name="transformation-position"
                checked={position === value}
                onChange={() => setPosition(value)}
              />{' '}
              {value === 'query' ? '?tr=' : '/tr:'}
            </label>
          ))}
        </fieldset>
        <code data-testid="transformation">{JSON.stringify(transformation)}</code>
      </div>
      {gallery.length === 0 ? (
        <div className="empty" data-testid="gallery-empty">
          Nothing yet. Upload something on <a href="#/">Quick start</a>, <a href="#/queue">Queue</a> or{' '}
          <a href="#/options">Options</a>.
        </div>
      ) : (
        <div className="gallery">
          {gallery.map((entry) => (
            <GalleryCard
              key={entry.result.fileId}
              entry={entry}
              transformation={transformation}
              transformationPosition={position}
            />
          ))}
        </div>
      )}
    </>
  )
}
