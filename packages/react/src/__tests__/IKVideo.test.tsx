import { act, render, screen, waitFor } from '@testing-library/react'
import { createRef } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { IKContext } from '../IKContext'
import { IKVideo, type IKVideoProps } from '../IKVideo'

const END = 'https://ik.example.test/demo'

function renderVideo(props: IKVideoProps = {}) {
  const ref = createRef<HTMLVideoElement>()
  const { container } = render(<IKVideo urlEndpoint={END} src="/clips/intro.mp4" {...props} ref={ref} />)
  return { ref, video: container.querySelector('video') as HTMLVideoElement }
}

describe('IKVideo', () => {
  it('serves the video path with its transformation in the query by default', () => {
    const { video } = renderVideo({ transformation: [{ width: 640 }, { quality: 60 }] })
    expect(video).toHaveAttribute('src', `${END}/clips/intro.mp4?tr=w-640:q-60`)
    expect(video).not.toHaveAttribute('poster')
  })

  it('puts tr: on the video path with transformationPosition path, from the context too', () => {
    render(
      <IKContext urlEndpoint={END} transformationPosition="path">
        <IKVideo data-testid="v" src="/clips/intro.mp4" transformation={[{ width: 640 }]} />
      </IKContext>,
    )
    expect(screen.getByTestId('v')).toHaveAttribute('src', `${END}/tr:w-640/clips/intro.mp4`)
  })

  it('needs only urlEndpoint from the context, and takes path like imagekitio-react', () => {
    render(
      <IKContext urlEndpoint={END}>
        <IKVideo data-testid="v" path="/a.mp4" />
      </IKContext>,
    )
    expect(screen.getByTestId('v')).toHaveAttribute('src', `${END}/a.mp4`)
  })

  it('makes the poster from the first frame, ImageKit’s ik-thumbnail.jpg after the video path', () => {
    const { video } = renderVideo({ poster: true, transformation: [{ width: 640 }] })
    expect(video).toHaveAttribute('poster', `${END}/clips/intro.mp4/ik-thumbnail.jpg`)
  })

  it('makes the poster from a thumbnail transformation of its own', () => {
    const { video } = renderVideo({ poster: [{ startOffset: 5, width: 320 }] })
    expect(video).toHaveAttribute('poster', `${END}/clips/intro.mp4/ik-thumbnail.jpg?tr=so-5,w-320`)
  })

  it('puts the thumbnail before the query of an absolute URL, and the query parameters on both', () => {
    const { video } = renderVideo({
      src: 'https://cdn.example.test/a.mp4?v=1',
      poster: [{ startOffset: 2 }],
      queryParameters: { k: 'x' },
    })
    expect(video).toHaveAttribute('src', 'https://cdn.example.test/a.mp4?v=1&k=x')
    expect(video).toHaveAttribute('poster', 'https://cdn.example.test/a.mp4/ik-thumbnail.jpg?v=1&k=x&tr=so-2')
  })

  it('takes a poster URL as it is', () => {
    const { video } = renderVideo({ poster: 'https://example.test/poster.png' })
    expect(video).toHaveAttribute('poster', 'https://example.test/poster.png')
  })

  it('passes children, video attributes and the ref through', () => {
    const ref = createRef<HTMLVideoElement>()
    const { container } = render(
      <IKVideo
        urlEndpoint={END}
        src="/a.mp4"
        controls
        muted
        playsInline
        preload="none"
        className="clip"
        ref={ref}
      >
        <track kind="captions" src="/captions.vtt" />
      </IKVideo>,
    )
    const video = container.querySelector('video') as HTMLVideoElement
    expect(ref.current).toBe(video)
    expect(video).toHaveAttribute('controls')
    expect(video).toHaveAttribute('preload', 'none')
    expect(video).toHaveClass('clip')
    expect(video.querySelector('track')).toHaveAttribute('src', '/captions.vtt')
    for (const name of ['urlendpoint', 'transformation', 'path', 'signedurl'])
      expect(video.hasAttribute(name), name).toBe(false)
  })

  it('throws an error that says what to pass for a path without any urlEndpoint', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<IKVideo src="/a.mp4" />)).toThrow(
      'IKVideo cannot build a URL for "/a.mp4": pass urlEndpoint, or wrap it in <IKContext urlEndpoint>.',
    )
    vi.restoreAllMocks()
  })

  it('signs the video and the poster, and shows neither before the signer answered', async () => {
    let answer = () => {}
    const gate = new Promise<void>((resolve) => {
      answer = resolve
    })
    const signer = vi.fn(async (url: string) => {
      await gate
      return `${url}${url.includes('?') ? '&' : '?'}ik-s=signed`
    })
    const { video } = renderVideo({ poster: true, signedUrl: signer })
    expect(video).not.toHaveAttribute('src')
    expect(video).not.toHaveAttribute('poster')
    await act(async () => answer())
    await waitFor(() => expect(video).toHaveAttribute('src', `${END}/clips/intro.mp4?ik-s=signed`))
    expect(video).toHaveAttribute('poster', `${END}/clips/intro.mp4/ik-thumbnail.jpg?ik-s=signed`)
    expect(signer).toHaveBeenCalledTimes(2)
  })
})
