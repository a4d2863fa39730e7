import { buildSrc } from './buildSrc'
import type { SrcOptions } from './Transformation'

/** What `getResponsiveImageAttributes` takes: `buildSrc`'s options and how the image is laid out. */
export interface GetImageAttributesOptions extends SrcOptions {
  /**
   * The `<img sizes>` value, e.g. `'(min-width: 800px) 50vw, 100vw'`: widths (`w` descriptors) from
   * every breakpoint, less those under the smallest `vw` share of the smallest device width.
   * @default none
   */
  sizes?: string
  /** The shown width in CSS pixels, used when there is no `sizes`: a 1x and a 2x candidate. @default none */
  width?: number
  /** Screen widths. @default [640, 750, 828, 1080, 1200, 1920, 2048, 3840] */
  deviceBreakpoints?: number[]
  /** Widths of images smaller than the screen, merged with the device ones. @default [16, 32, 48, 64, 96, 128, 256, 384] */
  imageBreakpoints?: number[]
}

/** Attributes for an `<img>`: `src` is the widest candidate, for browsers without `srcset`. */
export interface ResponsiveImageAttributes {
  src: string
  srcSet?: string
  sizes?: string
  width?: number
}

/** The defaults of ImageKit's SDK (Next.js's, too). */
const DEVICE_BREAKPOINTS = [640, 750, 828, 1080, 1200, 1920, 2048, 3840]
const IMAGE_BREAKPOINTS = [16, 32, 48, 64, 96, 128, 256, 384]

/**
 * `src`, `srcSet` and `sizes` of a responsive image, as `@imagekit/javascript` 5's function of the same
 * name makes them, so the browser fetches no more pixels than it shows. Each candidate adds a step
 * `{ width, crop: 'at_max' }` (never wider than the original) after your transformation.
 *
 * - `sizes` given: `w` descriptors (see `sizes`).
 * - else `width` given: the nearest breakpoints at or above `width` and `2 * width`, as `1x` and `2x`.
 * - else: the device breakpoints as `w` descriptors, with `sizes: '100vw'`.
 *
 * One difference: spaces in a URL are written `%20` in `srcSet`, whose candidates they would split.
 */
export function getResponsiveImageAttributes(options: GetImageAttributesOptions): ResponsiveImageAttributes {
  const {
    sizes,
    width,
    deviceBreakpoints = DEVICE_BREAKPOINTS,
    imageBreakpoints = IMAGE_BREAKPOINTS,
    transformation = [],
  } = options
  const ascending = (list: number[]) => list.sort((a, b) => a - b)
  const devices = ascending([...deviceBreakpoints])
  const all = ascending([...imageBreakpoints, ...devices])
  // The smallest `vw` share of the smallest screen is the narrowest the image is ever shown; with
  // no share at all it is NaN, and every breakpoint stays (none is below NaN).
  const shares = (sizes?.match(/(^|\s)(1?\d{1,2})vw/g) ?? ['']).map(Number.parseFloat)
  const narrowest = (devices[0] as number) * (Math.min(...shares) / 100)
  const x = !sizes && typeof width === 'number'
  const nearest = (target: number) => all.find((candidate) => candidate >= target) || (all.at(-1) as number)
  const widths = sizes
    ? all.filter((candidate) => !(candidate < narrowest))
    : x
      ? [...new Set([nearest(width), nearest(2 * width)])]
      : devices
  const url = (candidate: number | undefined) =>
    buildSrc({ ...options, transformation: [...transformation, { width: candidate, crop: 'at_max' }] })
  return {
    src: url(widths.at(-1)),
    srcSet:
      widths
        .map((candidate, i) => `${url(candidate).replace(/ /g, '%20')} ${x ? `${i + 1}x` : `${candidate}w`}`)
        .join(', ') || undefined,
    sizes: sizes ?? (x ? undefined : '100vw'),
    width,
  }
}
