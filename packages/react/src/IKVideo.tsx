'use client'
import { buildSrc, type Transformation } from '@ik-upload/core'
import { forwardRef, type VideoHTMLAttributes } from 'react'
import { useDisplayConfig } from './IKContext'
import type { IKSourceProps } from './IKSourceProps'
import { useSignedUrls } from './useSignedUrls'

/** Props of `IKVideo`: where the file is, how to transform it, its poster, and every `<video>` attribute. */
export interface IKVideoProps
  extends IKSourceProps,
    Omit<VideoHTMLAttributes<HTMLVideoElement>, 'src' | 'poster'> {
  /**
   * The poster: a URL as it is; `true` for the video's first frame (ImageKit's
   * `<video>/ik-thumbnail.jpg`); or that frame with transformation steps, e.g.
   * `[{ startOffset: 5, width: 640 }]` (`so-5` picks the frame at 5 s).
   * @default none
   */
  poster?: string | boolean | Transformation[]
}

/** ImageKit's thumbnail of a video: `/ik-thumbnail.jpg` after its path, before any query. */
const thumbnailOf = (src: string) => src.replace(/\/?([?#]|$)/, '/ik-thumbnail.jpg$1')

/**
 * A `<video>` of a file delivered by ImageKit: `src` (a path or a URL) with `transformation` (the
 * local server serves videos unchanged), an optional poster from the video's thumbnail, and your
 * `<source>`/`<track>` children as they are. Needs only a `urlEndpoint`. The ref is the `<video>`.
 *
 * @example
 * <IKVideo src={result.filePath} controls poster={[{ startOffset: 2 }]} transformation={[{ width: 640 }]} />
 */
export const IKVideo = /* @__PURE__ */ forwardRef<HTMLVideoElement, IKVideoProps>(
  function IKVideo(props, ref) {
    const config = useDisplayConfig()
    const {
      src: source = props.path ?? '',
      path,
      urlEndpoint = config.urlEndpoint ?? '',
      transformation,
      transformationPosition = config.transformationPosition,
      queryParameters,
      poster,
      signedUrl = config.signedUrl,
      ...video
    } = props
    const options = { urlEndpoint, transformationPosition, queryParameters }
    const urls: string[] = []
    if (source) {
      const url = buildSrc({ ...options, src: source, transformation })
      if (!url)
        throw new Error(
          `IKVideo cannot build a URL for "${source}": pass urlEndpoint, or wrap it in <IKContext urlEndpoint>.`,
        )
      urls.push(url)
      if (poster && typeof poster !== 'string')
        urls.push(
          buildSrc({ ...options, src: thumbnailOf(source), transformation: poster === true ? [] : poster }),
        )
    }
    const shown = useSignedUrls(urls, signedUrl)
    return (
      <video
        {...video}
        ref={ref}
        src={shown?.[0]}
        poster={typeof poster === 'string' ? poster : shown?.[1]}
      />
    )
  },
)
