'use client'
import {
  buildSrc,
  type GetImageAttributesOptions,
  getResponsiveImageAttributes,
  type ResponsiveImageAttributes,
} from '@ik-upload/core'
import { forwardRef, type ImgHTMLAttributes, useEffect, useImperativeHandle, useRef } from 'react'
import { useDisplayConfig } from './IKContext'
import type { IKSourceProps } from './IKSourceProps'
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
export interface IKImageProps
  extends IKSourceProps,
    Omit<ImgHTMLAttributes<HTMLImageElement>, 'src' | 'srcSet'> {
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
  /** When the browser fetches the image: `lazy` waits until it nears the viewport, `eager` at once. @default 'lazy' */
  loading?: 'lazy' | 'eager'
}

/** The URLs of a `srcSet`: each is followed by ` <width>w` or ` <n>x`, and has no space itself (`%20`). */
const CANDIDATE_URL = /\S+(?= \d)/g

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
      src = props.path,
      path,
      urlEndpoint = config.urlEndpoint,
      transformation = [],
      transformationPosition = config.transformationPosition,
      queryParameters,
      responsive = true,
      deviceBreakpoints,
      imageBreakpoints,
      lqip,
      signedUrl = config.signedUrl,
      loading = 'lazy',
      sizes,
      width,
      style,
      onLoad,
      ...img
    } = props
    // Every URL option, breakpoints and sizes included; a width in pixels only (a number or a
    // numeric string): `100%` or `20em` say nothing about which widths to offer.
    const options = {
      ...props,
      src,
      urlEndpoint,
      transformation,
      transformationPosition,
      width: Number(width) || undefined,
    } as GetImageAttributesOptions
    const built: Partial<ResponsiveImageAttributes> = src
      ? responsive
        ? getResponsiveImageAttributes(options)
        : { src: buildSrc(options), sizes }
      : { sizes }
    if (src && !built.src)
      throw new Error(
        `IKImage cannot build a URL for "${src}": pass urlEndpoint, or wrap it in <IKContext urlEndpoint>.`,
      )
    const tiny = lqip === true ? {} : lqip && lqip.active !== false && lqip
    // [src, ...srcSet URLs, placeholder]: one list, so a signer signs them all in one go.
    const urls = built.src ? [built.src, ...(built.srcSet?.match(CANDIDATE_URL) ?? [])] : []
    if (urls[0] && tiny)
      urls.push(
        buildSrc({
          ...options,
          transformation: [
            ...transformation,
            { width: tiny.width ?? 32, quality: tiny.quality ?? 20, blur: tiny.blur ?? 6 },
          ],
        }),
      )
    const shown = useSignedUrls(urls, signedUrl)
    const placeholder = tiny && shown?.at(-1)
    let candidate = 0
    const image = useRef<HTMLImageElement>(null)
    useImperativeHandle(ref, () => image.current as HTMLImageElement)
    // The placeholder goes once the image has loaded: on its load event, or at once for an image
    // that loaded before React listened (a server-rendered page, hydrated later). Written to the
    // element, not kept in state: React re-applies the background only when its URL changes, that
    // is, for a new image.
    useEffect(() => {
      const element = image.current
      if (placeholder && element?.complete && element.naturalWidth) element.style.backgroundImage = ''
    })
    return (
      // biome-ignore lint/a11y/useAltText: the caller's alt comes in with the other attributes (img).
      <img
        {...img}
        ref={image}
        loading={loading}
        src={shown?.[0]}
        srcSet={shown && built.srcSet?.replace(CANDIDATE_URL, () => shown[++candidate] as string)}
        sizes={built.sizes}
        width={width}
        style={
          placeholder
            ? {
                backgroundImage: `url("${placeholder.replace(/"/g, '%22')}")`,
                backgroundSize: 'cover',
                backgroundPosition: 'center',
                ...style,
              }
            : style
        }
        onLoad={(event) => {
          if (placeholder) event.currentTarget.style.backgroundImage = ''
          onLoad?.(event)
        }}
      />
    )
  },
)
