/**
 * The types of delivery URLs: the options of `buildSrc` and the transformation steps, with the names
 * of ImageKit's `@imagekit/javascript` 5 (`SrcOptions`, `Transformation`), so code written for it
 * type-checks here. Each readable name maps to one URL parameter, shown in brackets.
 */

/** Where the transformation goes: `?tr=w-300` (`query`) or `/tr:w-300/path` (`path`). */
export type TransformationPosition = 'path' | 'query'

/** What `buildSrc` takes. */
export interface SrcOptions {
  /**
   * A path (`/photos/cat.jpg`, joined to `urlEndpoint`; a `?query` in it stays a query) or an
   * absolute `http(s)` URL (kept as it is; `urlEndpoint` is then not needed).
   */
  src: string
  /** Your URL endpoint, e.g. `https://ik.imagekit.io/your_id`. Needed for a path `src`. */
  urlEndpoint: string
  /** Steps applied in order (chained with `:`). @default none */
  transformation?: Transformation[]
  /** `query` (`?tr=...`) or `path` (`/tr:.../`). An absolute `src` always takes `query`. @default 'query' */
  transformationPosition?: TransformationPosition
  /** Extra query parameters (a version, say), appended and escaped. @default none */
  queryParameters?: { [key: string]: string | number }
}

/**
 * One transformation step. Values go into the URL as written (`width: 'iw_div_2'` is `w-iw_div_2`);
 * a key this list lacks goes in as it is (`{ rt: 90 }` is `rt-90`, typed through `raw` or a cast).
 * See https://imagekit.io/docs/transformations.
 */
export interface Transformation {
  /** [w] Pixels, a fraction of the original (`0.5`), or an expression. */
  width?: number | string
  /** [h] Pixels, a fraction, or an expression. */
  height?: number | string
  /** [ar] Width to height, e.g. `'4-3'`. */
  aspectRatio?: number | string
  /** [c] How the image fits the box. */
  crop?: 'force' | 'at_max' | 'at_max_enlarge' | 'at_least' | 'maintain_ratio'
  /** [cm] Pad, extract or pad-extract instead of resizing. */
  cropMode?: 'pad_resize' | 'extract' | 'pad_extract'
  /** [fo] What the crop keeps: `center`, `top`, `left`, ..., `auto`, `face`. */
  focus?: string
  /** [x] Extraction origin. */
  x?: number | string
  /** [y] Extraction origin. */
  y?: number | string
  /** [xc] Extraction centre. */
  xCenter?: number | string
  /** [yc] Extraction centre. */
  yCenter?: number | string
  /** [q] 1 to 100. */
  quality?: number
  /** [f] Output format; `auto` picks by the browser's `Accept`. */
  format?: 'auto' | 'webp' | 'jpg' | 'jpeg' | 'png' | 'gif' | 'svg' | 'mp4' | 'webm' | 'avif' | 'orig'
  /** [bl] Gaussian blur, 1 to 100. */
  blur?: number
  /** [r] Corner radius in pixels, or `max`. */
  radius?: number | 'max' | string
  /** [bg] Background: a colour, `blurred`, `genfill`. */
  background?: string
  /** [b] Border, `<width>_<color>`. */
  border?: string
  /** [dpr] Device pixel ratio. */
  dpr?: number | string
  /** [rt] Rotation in degrees, or `auto`. */
  rotation?: number | string
  /** [fl] Flip: `h`, `v`, `h_v`. */
  flip?: 'h' | 'v' | 'h_v' | 'v_h'
  /** [o] Opacity. */
  opacity?: number
  /** [z] Zoom. */
  zoom?: number
  /** [t] Trim same-coloured edges: `true` or a threshold. */
  trim?: true | number
  /** [n] A named transformation, e.g. `ik_ml_thumbnail`. */
  named?: string
  /** [di] A default image's path, used when the file is missing. */
  defaultImage?: string
  /** [orig] Serve the original file. */
  original?: boolean
  /** [pr] Progressive JPEG. */
  progressive?: boolean
  /** [lo] Lossless WebP/PNG. */
  lossless?: boolean
  /** [cp] Keep the colour profile. */
  colorProfile?: boolean
  /** [md] Keep the metadata. */
  metadata?: boolean
  /** [pg] A page of a PDF or a layer of a PSD. */
  page?: number | string
  /** [cr] Replace a colour. */
  colorReplace?: string
  /** [vc] Video codec. */
  videoCodec?: 'h264' | 'vp9' | 'av1' | 'none'
  /** [ac] Audio codec. */
  audioCodec?: 'aac' | 'opus' | 'none'
  /** [so] Video start offset, in seconds (also the frame of a video thumbnail). */
  startOffset?: number | string
  /** [eo] Video end offset, in seconds. */
  endOffset?: number | string
  /** [du] Video duration, in seconds. */
  duration?: number | string
  /** [sr] Adaptive streaming resolutions, joined with `_`. */
  streamingResolutions?: Array<'240' | '360' | '480' | '720' | '1080' | '1440' | '2160'>
  /** [e-grayscale] */
  grayscale?: true
  /** [e-contrast] */
  contrastStretch?: true
  /** [e-sharpen] `true` or an amount. */
  sharpen?: true | number
  /** [e-usm] Unsharp mask: `true` or its parameters. */
  unsharpMask?: true | string
  /** [e-shadow] `true` or its parameters. */
  shadow?: true | string
  /** [e-gradient] `true` or its parameters. */
  gradient?: true | string
  /** [e-distort] */
  distort?: string
  /** [e-bgremove] */
  aiRemoveBackground?: true
  /** [e-removedotbg] */
  aiRemoveBackgroundExternal?: true
  /** [e-upscale] */
  aiUpscale?: true
  /** [e-retouch] */
  aiRetouch?: true
  /** [e-genvar] */
  aiVariation?: true
  /** [e-dropshadow] `true` or its parameters. */
  aiDropShadow?: true | string
  /** [e-changebg] e.g. `'prompt-snow'`. */
  aiChangeBackground?: string
  /** [e-edit] e.g. `'prompt-make it vintage'`. */
  aiEdit?: string
  /**
   * Text added to the step as it is, for any parameter this list lacks, and for layers, which have
   * no readable form here (ImageKit's SDK has `overlay`, and names for layer-only parameters such
   * as `fontSize`): e.g. `'l-image,i-logo.png,w-100,l-end'` or `'l-text,i-Hello,fs-40,co-FFFFFF,l-end'`.
   */
  raw?: string
}
