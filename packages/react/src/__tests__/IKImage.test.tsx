import {
  DEV_AUTH_ENDPOINT,
  DEV_PUBLIC_KEY,
  DEV_URL_ENDPOINT,
  deliveryHandlers,
  uploadHandlers,
} from '@ik-upload/msw'
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { setupServer } from 'msw/node'
import { createRef, StrictMode, useState } from 'react'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { IKContext } from '../IKContext'
import { IKImage, type IKImageProps } from '../IKImage'
import { IKUpload } from '../IKUpload'
import type { UploadResponse } from '../index'

const UPLOAD = 'https://upload.ikupload.test/api/v1/files/upload'
const mock = uploadHandlers({ uploadEndpoint: UPLOAD })
const server = setupServer(...deliveryHandlers({ files: mock.files }), ...mock.handlers)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  mock.reset()
  vi.restoreAllMocks()
})
afterAll(() => server.close())

const END = 'https://ik.example.test/demo'
/** `${END}/<path>?tr=<steps>` */
const at = (path: string, steps?: string) => `${END}${path}${steps ? `?tr=${steps}` : ''}`
const DEVICE_WIDTHS = [640, 750, 828, 1080, 1200, 1920, 2048, 3840]

function renderImage(props: IKImageProps = {}) {
  const ref = createRef<HTMLImageElement>()
  render(<IKImage alt="cat" urlEndpoint={END} src="/cat.jpg" {...props} ref={ref} />)
  return { ref, img: screen.getByRole('img', { name: 'cat' }) as HTMLImageElement }
}

/** An app that uploads through IKUpload and shows the result with IKImage. */
function UploadThenShow({ onResult }: { onResult: (response: UploadResponse) => void }) {
  const [result, setResult] = useState<UploadResponse>()
  return (
    <IKContext
      publicKey={DEV_PUBLIC_KEY}
      urlEndpoint={DEV_URL_ENDPOINT}
      authenticationEndpoint={DEV_AUTH_ENDPOINT}
      uploadEndpoint={UPLOAD}
    >
      <IKUpload
        data-testid="upload"
        onSuccess={(response) => {
          onResult(response)
          setResult(response)
        }}
      />
      {result && <IKImage src={result.filePath} alt="uploaded" width={300} />}
    </IKContext>
  )
}

/** An IKImage given a new inline signer on every render (a click re-renders it). */
function ReSigning({ onSign }: { onSign: (url: string) => void }) {
  const [count, setCount] = useState(0)
  return (
    <StrictMode>
      <button type="button" onClick={() => setCount(count + 1)}>
        {count}
      </button>
      <IKImage
        alt="a"
        urlEndpoint={END}
        src="/a.jpg"
        responsive={false}
        signedUrl={(url) => {
          onSign(url)
          return `${url}?ik-s=x`
        }}
      />
    </StrictMode>
  )
}

describe('IKImage', () => {
  it('renders an upload result straight: its filePath joined to the context urlEndpoint, and the URL serves the file', async () => {
    const results: UploadResponse[] = []
    render(<UploadThenShow onResult={(response) => results.push(response)} />)
    await userEvent.upload(
      screen.getByTestId('upload'),
      new File(['png bytes'], 'cat.png', { type: 'image/png' }),
    )
    const img = (await screen.findByRole('img', { name: 'uploaded' })) as HTMLImageElement
    const [result] = results as [UploadResponse]
    const base = `${DEV_URL_ENDPOINT}${result.filePath}`
    expect(img.getAttribute('src')).toBe(`${base}?tr=w-640,c-at_max`)
    expect(img.getAttribute('srcset')).toBe(`${base}?tr=w-384,c-at_max 1x, ${base}?tr=w-640,c-at_max 2x`)
    const delivered = await fetch(String(img.getAttribute('src')))
    expect(delivered.status).toBe(200)
    expect(await delivered.text()).toBe('png bytes')
  })

  it('needs only urlEndpoint in the context: no publicKey, no auth, no wrap-me error', () => {
    render(
      <IKContext urlEndpoint={END}>
        <IKImage src="/a.jpg" alt="a" responsive={false} />
      </IKContext>,
    )
    expect(screen.getByRole('img')).toHaveAttribute('src', at('/a.jpg'))
  })

  it('works outside any IKContext with a urlEndpoint prop', () => {
    const { img } = renderImage({ responsive: false })
    expect(img).toHaveAttribute('src', at('/cat.jpg'))
  })

  it('keeps the wrap-me error for IKUpload outside IKContext', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<IKUpload />)).toThrow(/Wrap IKUpload, IKDropzone and useUpload in <IKContext/)
  })

  it('throws an error that says what to pass for a path without any urlEndpoint', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<IKImage src="/a.jpg" alt="" />)).toThrow(
      'IKImage cannot build a URL for "/a.jpg": pass urlEndpoint, or wrap it in <IKContext urlEndpoint>.',
    )
  })

  it('shows an absolute URL without any urlEndpoint, keeping its host', () => {
    render(
      <IKImage
        src="https://cdn.example.test/a.jpg?v=2"
        alt="a"
        responsive={false}
        transformation={[{ width: 10 }]}
      />,
    )
    expect(screen.getByRole('img')).toHaveAttribute('src', 'https://cdn.example.test/a.jpg?v=2&tr=w-10')
  })

  it('renders an img without src for an empty src, rather than src=""', () => {
    const { img } = renderImage({ src: '' })
    expect(img).not.toHaveAttribute('src')
    expect(img).not.toHaveAttribute('srcset')
  })

  it('offers the device widths with sizes=100vw by default, the widest as src', () => {
    const { img } = renderImage()
    expect(img.getAttribute('srcset')).toBe(
      DEVICE_WIDTHS.map((w) => `${at('/cat.jpg', `w-${w},c-at_max`)} ${w}w`).join(', '),
    )
    expect(img).toHaveAttribute('sizes', '100vw')
    expect(img).toHaveAttribute('src', at('/cat.jpg', 'w-3840,c-at_max'))
  })

  it('offers a 1x and a 2x width for a numeric width, and keeps the width attribute', () => {
    const { img } = renderImage({ width: 400, height: 300 })
    expect(img.getAttribute('srcset')).toBe(
      `${at('/cat.jpg', 'w-640,c-at_max')} 1x, ${at('/cat.jpg', 'w-828,c-at_max')} 2x`,
    )
    expect(img).toHaveAttribute('width', '400')
    expect(img).toHaveAttribute('height', '300')
    expect(img).not.toHaveAttribute('sizes')
  })

  it('reads a numeric string width as pixels, and ignores a percentage for the srcSet', () => {
    expect(renderImage({ width: '100' }).img.getAttribute('srcset')).toBe(
      `${at('/cat.jpg', 'w-128,c-at_max')} 1x, ${at('/cat.jpg', 'w-256,c-at_max')} 2x`,
    )
    render(<IKImage alt="wide" urlEndpoint={END} src="/cat.jpg" width="100%" />)
    const img = screen.getByRole('img', { name: 'wide' })
    expect(img).toHaveAttribute('width', '100%')
    expect(img.getAttribute('srcset')).toContain(' 3840w')
  })

  it('offers w widths from sizes, dropping those below the smallest vw share of the smallest screen', () => {
    const { img } = renderImage({ sizes: '(min-width: 800px) 33vw, 100vw' })
    const widths = String(img.getAttribute('srcset'))
      .split(', ')
      .map((candidate) => candidate.split(' ')[1])
    expect(widths).toEqual(['256w', '384w', ...DEVICE_WIDTHS.map((w) => `${w}w`)])
    expect(img).toHaveAttribute('sizes', '(min-width: 800px) 33vw, 100vw')
  })

  it('uses custom breakpoints', () => {
    const { img } = renderImage({ deviceBreakpoints: [300, 600], imageBreakpoints: [50] })
    expect(img.getAttribute('srcset')).toBe(
      `${at('/cat.jpg', 'w-300,c-at_max')} 300w, ${at('/cat.jpg', 'w-600,c-at_max')} 600w`,
    )
  })

  it('puts the widths after the transformation, as a chained step', () => {
    const { img } = renderImage({ width: 100, transformation: [{ height: 300, aspectRatio: '4-3' }] })
    expect(img).toHaveAttribute('src', at('/cat.jpg', 'h-300,ar-4-3:w-256,c-at_max'))
  })

  it('renders one URL with the transformation alone when responsive is false', () => {
    const { img } = renderImage({
      responsive: false,
      transformation: [{ width: 300, quality: 80 }],
      width: 300,
    })
    expect(img).toHaveAttribute('src', at('/cat.jpg', 'w-300,q-80'))
    expect(img).not.toHaveAttribute('srcset')
  })

  it('takes transformationPosition from the context and lets a prop override it', () => {
    render(
      <IKContext urlEndpoint={END} transformationPosition="path">
        <IKImage alt="path" src="/a.jpg" responsive={false} transformation={[{ width: 5 }]} />
        <IKImage
          alt="query"
          src="/a.jpg"
          responsive={false}
          transformation={[{ width: 5 }]}
          transformationPosition="query"
        />
      </IKContext>,
    )
    expect(screen.getByRole('img', { name: 'path' })).toHaveAttribute('src', `${END}/tr:w-5/a.jpg`)
    expect(screen.getByRole('img', { name: 'query' })).toHaveAttribute('src', `${END}/a.jpg?tr=w-5`)
  })

  it('lets a urlEndpoint prop override the context', () => {
    render(
      <IKContext urlEndpoint="https://other.example.test">
        <IKImage alt="a" src="/a.jpg" responsive={false} urlEndpoint={END} />
      </IKContext>,
    )
    expect(screen.getByRole('img')).toHaveAttribute('src', at('/a.jpg'))
  })

  it('takes path as imagekitio-react did, src winning over it', () => {
    render(
      <>
        <IKImage alt="path" urlEndpoint={END} path="/p.jpg" responsive={false} />
        <IKImage alt="both" urlEndpoint={END} path="/p.jpg" src="/s.jpg" responsive={false} />
      </>,
    )
    expect(screen.getByRole('img', { name: 'path' })).toHaveAttribute('src', at('/p.jpg'))
    expect(screen.getByRole('img', { name: 'both' })).toHaveAttribute('src', at('/s.jpg'))
  })

  it('adds queryParameters to every URL', () => {
    const { img } = renderImage({ width: 10, queryParameters: { v: 2 } })
    expect(img.getAttribute('srcset')).toBe(
      `${END}/cat.jpg?v=2&tr=w-16,c-at_max 1x, ${END}/cat.jpg?v=2&tr=w-32,c-at_max 2x`,
    )
  })

  it('is lazy by default and eager when asked', () => {
    expect(renderImage().img).toHaveAttribute('loading', 'lazy')
    render(<IKImage alt="eager" urlEndpoint={END} src="/a.jpg" loading="eager" />)
    expect(screen.getByRole('img', { name: 'eager' })).toHaveAttribute('loading', 'eager')
  })

  it('passes every other img attribute through, none of its own options, and forwards the ref', () => {
    const onClick = vi.fn()
    const { img, ref } = renderImage({
      className: 'photo',
      decoding: 'async',
      fetchPriority: 'high',
      title: 'A cat',
      onClick,
      ...({ 'data-testid': 'photo' } as object),
    })
    expect(ref.current).toBe(img)
    expect(img).toHaveClass('photo')
    expect(img).toHaveAttribute('decoding', 'async')
    expect(img).toHaveAttribute('title', 'A cat')
    expect(img).toHaveAttribute('data-testid', 'photo')
    fireEvent.click(img)
    expect(onClick).toHaveBeenCalledTimes(1)
    for (const name of ['urlendpoint', 'transformation', 'responsive', 'lqip', 'path', 'signedurl'])
      expect(img.hasAttribute(name), name).toBe(false)
  })

  describe('lqip', () => {
    it('shows a tiny blurred version as the background until the image loads, then removes it', () => {
      const onLoad = vi.fn()
      const { img } = renderImage({ lqip: true, width: 400, height: 300, style: { borderRadius: 4 }, onLoad })
      expect(img.style.backgroundImage).toBe(`url("${at('/cat.jpg', 'w-32,q-20,bl-6')}")`)
      expect(img.style.backgroundSize).toBe('cover')
      expect(img.style.borderRadius).toBe('4px')
      fireEvent.load(img)
      expect(img.style.backgroundImage).toBe('')
      expect(img.style.borderRadius).toBe('4px')
      expect(onLoad).toHaveBeenCalledTimes(1)
    })

    it('takes its width, quality and blur, after the transformation', () => {
      const { img } = renderImage({
        lqip: { width: 16, quality: 10, blur: 3 },
        transformation: [{ height: 90 }],
      })
      expect(img.style.backgroundImage).toBe(`url("${at('/cat.jpg', 'h-90:w-16,q-10,bl-3')}")`)
    })

    it('is off by default and with active: false', () => {
      expect(renderImage().img.style.backgroundImage).toBe('')
      render(<IKImage alt="off" urlEndpoint={END} src="/a.jpg" lqip={{ active: false }} />)
      expect(screen.getByRole('img', { name: 'off' }).style.backgroundImage).toBe('')
    })

    it('shows the placeholder again for a new image', () => {
      const { rerender } = render(<IKImage alt="a" urlEndpoint={END} src="/a.jpg" lqip />)
      const img = screen.getByRole('img')
      fireEvent.load(img)
      expect(img.style.backgroundImage).toBe('')
      rerender(<IKImage alt="a" urlEndpoint={END} src="/b.jpg" lqip />)
      expect(img.style.backgroundImage).toContain('/b.jpg?tr=w-32,q-20,bl-6')
    })

    it('leaves a background of the caller alone when there is no placeholder', () => {
      const pattern = 'url("https://example.test/pattern.png")'
      const { img } = renderImage({ style: { backgroundImage: pattern } })
      fireEvent.load(img)
      expect(img.style.backgroundImage).toBe(pattern)
      vi.spyOn(HTMLImageElement.prototype, 'complete', 'get').mockReturnValue(true)
      vi.spyOn(HTMLImageElement.prototype, 'naturalWidth', 'get').mockReturnValue(640)
      render(<IKImage alt="cached" urlEndpoint={END} src="/a.jpg" style={{ backgroundImage: pattern }} />)
      expect(screen.getByRole('img', { name: 'cached' }).style.backgroundImage).toBe(pattern)
    })

    it('drops the placeholder of an image that loaded before React hydrated it', () => {
      // happy-dom loads no images: this one says it is complete, as a cached image is.
      vi.spyOn(HTMLImageElement.prototype, 'complete', 'get').mockReturnValue(true)
      vi.spyOn(HTMLImageElement.prototype, 'naturalWidth', 'get').mockReturnValue(640)
      const { img } = renderImage({ lqip: true })
      expect(img.style.backgroundImage).toBe('')
    })
  })

  describe('signedUrl', () => {
    const sign = (url: string) => Promise.resolve(`${url}${url.includes('?') ? '&' : '?'}ik-s=signed`)

    it('renders no URL until the signer answered, then signed src, srcSet and placeholder', async () => {
      let answer = () => {}
      const gate = new Promise<void>((resolve) => {
        answer = resolve
      })
      const signer = vi.fn((url: string) => gate.then(() => sign(url)))
      const { img } = renderImage({ width: 100, lqip: true, signedUrl: signer })
      expect(img).not.toHaveAttribute('src')
      expect(img).not.toHaveAttribute('srcset')
      expect(img.style.backgroundImage).toBe('')
      await act(async () => answer())
      await waitFor(() =>
        expect(img).toHaveAttribute('src', `${at('/cat.jpg', 'w-256,c-at_max')}&ik-s=signed`),
      )
      expect(img.getAttribute('srcset')).toBe(
        `${at('/cat.jpg', 'w-128,c-at_max')}&ik-s=signed 1x, ${at('/cat.jpg', 'w-256,c-at_max')}&ik-s=signed 2x`,
      )
      expect(img.style.backgroundImage).toContain('w-32,q-20,bl-6&ik-s=signed')
      // src, two candidates and the placeholder, in one go.
      expect(signer).toHaveBeenCalledTimes(4)
    })

    it('takes the signer from the context', async () => {
      render(
        <IKContext urlEndpoint={END} signedUrl={sign}>
          <IKImage alt="a" src="/a.jpg" responsive={false} />
        </IKContext>,
      )
      await waitFor(() =>
        expect(screen.getByRole('img')).toHaveAttribute('src', `${at('/a.jpg')}?ik-s=signed`),
      )
    })

    it('does not sign again when a re-render passes a new inline signer for the same URLs', async () => {
      const calls = vi.fn()
      render(<ReSigning onSign={calls} />)
      await waitFor(() => expect(screen.getByRole('img')).toHaveAttribute('src', `${at('/a.jpg')}?ik-s=x`))
      const before = calls.mock.calls.length
      fireEvent.click(screen.getByRole('button'))
      fireEvent.click(screen.getByRole('button'))
      await act(async () => {})
      expect(calls.mock.calls.length).toBe(before)
    })

    it('shows the unsigned URL when the signer fails, so the image fails to load visibly', async () => {
      const { img } = renderImage({ responsive: false, signedUrl: () => Promise.reject(new Error('403')) })
      await waitFor(() => expect(img).toHaveAttribute('src', at('/cat.jpg')))
    })
  })
})
