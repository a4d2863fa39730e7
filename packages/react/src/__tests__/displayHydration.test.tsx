import { act } from '@testing-library/react'
import type { ReactNode } from 'react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { IKContext } from '../IKContext'
import { IKImage } from '../IKImage'
import { IKVideo } from '../IKVideo'

const END = 'https://ik.example.test/demo'
let root: Root | undefined
afterEach(() => {
  act(() => root?.unmount())
  root = undefined
  document.body.innerHTML = ''
  vi.restoreAllMocks()
})

/**
 * Renders `app` to a string as a server would, puts that markup in the page, hydrates it, and
 * returns what React complained about (console errors and recoverable errors: a hydration mismatch
 * is reported through both) and the markup before and after.
 */
async function serverThenHydrate(app: ReactNode) {
  // As on a server: no window, no document while the string is made.
  vi.stubGlobal('window', undefined)
  vi.stubGlobal('document', undefined)
  let html: string
  try {
    html = renderToString(app)
  } finally {
    vi.unstubAllGlobals()
  }
  const container = document.createElement('div')
  container.innerHTML = html
  document.body.append(container)
  const errors: unknown[] = []
  vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args))
  await act(async () => {
    root = hydrateRoot(container, app, { onRecoverableError: (error) => void errors.push(error) })
  })
  // The server's string, as the DOM writes it back (attribute case, void elements).
  const parsed = document.createElement('div')
  parsed.innerHTML = html
  return { html, before: parsed.innerHTML, after: container.innerHTML, errors }
}

describe('server rendering and hydration of IKImage and IKVideo', () => {
  it('hydrates a responsive image with a placeholder without a mismatch, and the markup stays', async () => {
    const { html, before, after, errors } = await serverThenHydrate(
      <IKContext urlEndpoint={END}>
        <IKImage
          src="/a b/猫.jpg"
          alt="cat"
          width={300}
          height={200}
          lqip
          transformation={[{ quality: 80 }]}
        />
        <IKImage src="/b.jpg" alt="b" sizes="(min-width: 800px) 50vw, 100vw" />
      </IKContext>,
    )
    expect(errors).toEqual([])
    expect(html).toContain(`src="${END}/a%20b/%E7%8C%AB.jpg?tr=q-80:w-640,c-at_max"`)
    expect(html).toContain('loading="lazy"')
    expect(html).toContain('background-image:url(&quot;')
    expect(after).toBe(before)
  })

  it('hydrates a video with its poster without a mismatch', async () => {
    const { html, before, after, errors } = await serverThenHydrate(
      <IKContext urlEndpoint={END} transformationPosition="path">
        <IKVideo src="/a.mp4" poster={[{ startOffset: 1 }]} controls>
          <track kind="captions" />
        </IKVideo>
      </IKContext>,
    )
    expect(errors).toEqual([])
    expect(html).toContain(`poster="${END}/tr:so-1/a.mp4/ik-thumbnail.jpg"`)
    expect(after).toBe(before)
  })

  it('hydrates signed images without a mismatch: no URL on the server, the signed one after', async () => {
    const sign = async (url: string) => `${url}&ik-s=signed`
    const { html, errors } = await serverThenHydrate(
      <IKImage urlEndpoint={END} src="/private.jpg" alt="private" width={100} signedUrl={sign} />,
    )
    expect(errors).toEqual([])
    expect(html).not.toContain('src=')
    await act(async () => {})
    expect(document.querySelector('img')?.getAttribute('src')).toBe(
      `${END}/private.jpg?tr=w-256,c-at_max&ik-s=signed`,
    )
  })

  it("marks the new files with 'use client'", async () => {
    const { readFileSync } = await import('node:fs')
    // Tests run from the workspace root.
    for (const file of ['IKImage.tsx', 'IKVideo.tsx', 'useSignedUrls.ts'])
      expect(readFileSync(`packages/react/src/${file}`, 'utf8').startsWith("'use client'\n"), file).toBe(true)
  })
})
