'use client'
import { buildSrc, type SrcOptions, type Transformation, type TransformationPosition } from '@ik-upload/core'
import { forwardRef, type VideoHTMLAttributes } from 'react'
import { type SignUrl, useDisplayConfig } from './IKContext'
import { useSignedUrls } from './useSignedUrls'

/** Props of `IKVideo`: where the file is, how to transform it, its poster, and every `<video>` attribute. */
export interface IKVideoProps extends Omit<VideoHTMLAttributes<HTMLVideoElement>, 'src' | 'poster'> {
  /** A path (`/clips/intro.mp4`, e.g. an upload result's `filePath`) or an absolute URL. @default none */
  src?: string
  /** imagekitio-react's name for a path; `src` wins when both are given. @default none */
  path?: string
  /** Where paths are served from. @default the nearest IKContext's urlEndpoint */
  urlEndpoint?: string
  /** Transformation steps of the video, e.g. `[{ width: 640 }]`. @default none */
  transformation?: Transformation[]
  /** `query` (`?tr=`) or `path` (`/tr:.../`). @default the nearest IKContext's, else 'query' */
  transformationPosition?: TransformationPosition
  /** Extra query parameters on the video's and the poster's URL. @default none */
  queryParameters?: SrcOptions['queryParameters']
  /**
   * The poster: a URL as it is; `true` for the video's first frame (ImageKit's
   * `<video>/ik-thumbnail.jpg`); or that frame with transformation steps, e.g.
   * `[{ startOffset: 5, width: 640 }]` (`so-5` picks the frame at 5 s).
   * @default none
   */
  poster?: string | boolean | Transformation[]
  /** Signs the video's and the poster's URL (for private files); nothing plays until it answered. @default the nearest IKContext's, else none */
  signedUrl?: SignUrl
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
