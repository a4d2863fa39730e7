'use client'
import {
  buildSrc,
  getResponsiveImageAttributes,
  type SrcOptions,
  type Transformation,
  type TransformationPosition,
} from '@ik-upload/core'
import { forwardRef, type ImgHTMLAttributes, useEffect, useImperativeHandle, useRef, useState } from 'react'
import { type SignUrl, useDisplayConfig } from './IKContext'
import { useSignedUrls } from './useSignedUrls'

/** The low-quality image placeholder: a tiny, blurred version shown as the `<img>`'s CSS background until the image loads. */
export interface LqipOptions {
  /** Whether to show it. @default true */
  active?: boolean
  /** Width of the tiny version in pixels (stretched to the box, so it reads as a blur). @default 32 */
  width?: number
  /** Its JPEG/WebP quality, 1 to 100. @default 20 */
  quality?: number
  /** Its blur, 1 to 100. @default 6 */
  blur?: number
}

/** Props of `IKImage`: where the file is, how to transform it, how to size it, and every `<img>` attribute. */
export interface IKImageProps extends Omit<ImgHTMLAttributes<HTMLImageElement>, 'src' | 'srcSet'> {
  /** A path (`/photos/cat.jpg`, e.g. an upload result's `filePath`) or an absolute URL. @default none */
  src?: string
  /** imagekitio-react's name for a path; `src` wins when both are given. @default none */
  path?: string
  /** Where paths are served from. @default the nearest IKContext's urlEndpoint */
  urlEndpoint?: string
  /** Transformation steps, chained in order, e.g. `[{ height: 300, crop: 'at_max' }]`. @default none */
  transformation?: Transformation[]
  /** `query` (`?tr=`) or `path` (`/tr:.../`). @default the nearest IKContext's, else 'query' */
  transformationPosition?: TransformationPosition
  /** Extra query parameters on every URL, e.g. `{ v: 2 }`. @default none */
  queryParameters?: SrcOptions['queryParameters']
  /**
   * A `srcSet` of widths, so the browser fetches no more pixels than it shows: with `sizes`, `w`
   * candidates from the breakpoints; else with a numeric `width`, a 1x and a 2x candidate; else the
   * device breakpoints, with `sizes="100vw"`. `false`: one URL, `transformation` alone.
   * @default true
   */
  responsive?: boolean
  /** Screen widths for `srcSet`. @default [640, 750, 828, 1080, 1200, 1920, 2048, 3840] */
  deviceBreakpoints?: number[]
  /** Smaller widths for `srcSet`, merged with the device ones. @default [16, 32, 48, 64, 96, 128, 256, 384] */
  imageBreakpoints?: number[]
  /**
   * A tiny blurred version as the background until the image loads: `true`, or its settings. Give
   * the image a size (`width`/`height` or CSS) so the placeholder has a box to fill.
   * @default false
   */
  lqip?: boolean | LqipOptions
  /** Signs every URL (for private files); nothing renders until it answered. @default the nearest IKContext's, else none */
  signedUrl?: SignUrl
  /** @default 'lazy' */
  loading?: 'lazy' | 'eager'
}

/** The URL `IKImage` could not build, said plainly instead of an `<img src="">`. */
const noEndpoint = (src: string) =>
  new Error(
    `IKImage cannot build a URL for "${src}": pass urlEndpoint, or wrap it in <IKContext urlEndpoint>.`,
  )

/**
 * An `<img>` of a file delivered by ImageKit (or the local server): `src` (a path or a URL) with
 * `transformation`, responsive by default, lazy by default, with an optional blurred placeholder.
 * Needs only a `urlEndpoint` (prop or `IKContext`), no upload credentials. Renders the same markup
 * on the server and in the first client render. The ref is the `<img>`.
 *
 * @example
 * <IKImage src={result.filePath} width={400} transformation={[{ height: 300 }]} lqip alt="" />
 */
export const IKImage = /* @__PURE__ */ forwardRef<HTMLImageElement, IKImageProps>(
  function IKImage(props, ref) {
    const config = useDisplayConfig()
    const {
      src: source = props.path ?? '',
      path,
      urlEndpoint = config.urlEndpoint ?? '',
      transformation = [],
      transformationPosition = config.transformationPosition,
      queryParameters,
      responsive = true,
      deviceBreakpoints,
      imageBreakpoints,
      lqip,
      signedUrl = config.signedUrl,
      loading = 'lazy',
      alt,
      sizes,
      width,
      style,
      onLoad,
      ...img
    } = props
    const options = { src: source, urlEndpoint, transformation, transformationPosition, queryParameters }
    // [src, ...srcSet URLs, placeholder]: one list, so a signer signs them all in one go.
    const urls: string[] = []
    let descriptors: string[] = []
    let shownSizes = sizes
    let placeholder = false
    if (source) {
      const attributes = responsive
        ? getResponsiveImageAttributes({
            ...options,
            sizes,
            // A number of pixels only: `100%` or `20em` say nothing about which widths to offer.
            width: /^\d+$/.test(String(width)) ? Number(width) : undefined,
            deviceBreakpoints,
            imageBreakpoints,
          })
        : { src: buildSrc(options), sizes }
      if (!attributes.src) throw noEndpoint(source)
      const candidates = attributes.srcSet?.split(', ') ?? []
      urls.push(
        attributes.src,
        ...candidates.map((candidate) => candidate.slice(0, candidate.lastIndexOf(' '))),
      )
      descriptors = candidates.map((candidate) => candidate.slice(candidate.lastIndexOf(' ')))
      shownSizes = attributes.sizes
      const tiny = lqip === true ? {} : lqip && lqip.active !== false && lqip
      if (tiny) {
        placeholder = true
        const { width = 32, quality = 20, blur = 6 } = tiny
        urls.push(buildSrc({ ...options, transformation: [...transformation, { width, quality, blur }] }))
      }
    }
    const shown = useSignedUrls(urls, signedUrl)
    const shownSrc = shown?.[0]
    const image = useRef<HTMLImageElement>(null)
    useImperativeHandle(ref, () => image.current as HTMLImageElement)
    // The src whose bytes arrived: the placeholder goes once it is the shown one.
    const [loaded, setLoaded] = useState<string>()
    const waiting = placeholder && !!shownSrc && loaded !== shownSrc
    useEffect(() => {
      // An image loaded before hydration fired its load event before React listened.
      const element = image.current
      if (waiting && element?.complete && element.naturalWidth) setLoaded(shownSrc)
    }, [waiting, shownSrc])
    return (
      <img
        {...img}
        ref={image}
        alt={alt}
        loading={loading}
        src={shownSrc}
        srcSet={
          shown && descriptors.length ? descriptors.map((d, i) => shown[i + 1] + d).join(', ') : undefined
        }
        sizes={shownSizes}
        width={width}
        style={
          waiting
            ? {
                backgroundImage: `url("${shown?.at(-1)?.replace(/"/g, '%22')}")`,
                backgroundSize: 'cover',
                backgroundPosition: 'center',
                backgroundRepeat: 'no-repeat',
                ...style,
              }
            : style
        }
        onLoad={(event) => {
          if (placeholder) setLoaded(shownSrc)
          onLoad?.(event)
        }}
      />
    )
  },
)
