/** ImageKit's crop strategies (`c-`); `maintain_ratio` is the default. */
export type CropStrategy = 'maintain_ratio' | 'force' | 'at_max' | 'at_max_enlarge' | 'at_least'
/** ImageKit's crop modes (`cm-`). */
export type CropMode = 'pad_resize' | 'extract' | 'pad_extract'
/** Where a crop or a pad keeps the image (`fo-`); `auto` and `face` crop on the most salient part. */
export type Focus =
  | 'center'
  | 'top'
  | 'left'
  | 'bottom'
  | 'right'
  | 'top_left'
  | 'top_right'
  | 'bottom_left'
  | 'bottom_right'
  | 'auto'
  | 'face'
  | 'custom'
/** Output formats (`f-`): `auto` picks by the request's `Accept`, `orig` keeps the stored format. */
export type FormatParam = 'auto' | 'orig' | 'webp' | 'avif' | 'jpeg' | 'png' | 'gif'
/** A colour with its opacity between 0 and 1. */
export interface Rgba {
  r: number
  g: number
  b: number
  alpha: number
}

/**
 * One step of a transformation (the parameters between two `:`), each parameter as the local
 * server understands it. Sizes are pixels (whole numbers of at least 1) or, below 1, a fraction of
 * the step's input.
 */
export interface TransformationStep {
  width?: number
  height?: number
  /** `ar-<w>-<h>`: with only one of `width`/`height`, the other follows from it. */
  aspectRatio?: readonly [number, number]
  crop?: CropStrategy
  cropMode?: CropMode
  focus?: Focus
  /** Top-left corner of a `cm-extract` region, in pixels. */
  x?: number
  y?: number
  /** Centre of a `cm-extract` region, in pixels. */
  xc?: number
  yc?: number
  quality?: number
  format?: FormatParam
  blur?: number
  radius?: number | 'max'
  background?: Rgba
  /** Multiplies the step's width and height (0.1 to 5). */
  dpr?: number
  rotate?: 0 | 90 | 180 | 270
  flip?: 'h' | 'v' | 'h_v'
  grayscale?: true
  progressive?: boolean
  lossless?: boolean
  /** `n-ik_ml_thumbnail`: fit inside a 200×200 box, never enlarged (the size is ours). */
  thumbnail?: true
}

/** A parsed transformation: its steps in order, or `original` for `orig-true` (the stored bytes). */
export interface Transformation {
  steps: TransformationStep[]
  original: boolean
}

/** `parseTransformation`'s answer: the transformation, or the 400 message naming what is wrong. */
export type ParsedTransformation =
  | { ok: true; transformation: Transformation }
  | { ok: false; message: string }

/** The largest width or height the server renders, so one URL cannot ask for a gigapixel image. */
export const MAX_DIMENSION = 5000

/** The named thumbnail of `thumbnailUrl` (spec section 4), without its `n-` prefix. */
export const THUMBNAIL_NAME = 'ik_ml_thumbnail'

/** The parameters the local server renders, in the order the README lists them. */
export const SUPPORTED_PARAMETERS = [
  'w',
  'h',
  'ar',
  'c',
  'cm',
  'fo',
  'x',
  'y',
  'xc',
  'yc',
  'q',
  'f',
  'bl',
  'r',
  'bg',
  'dpr',
  'rt',
  'fl',
  'e-grayscale',
  'pr',
  'lo',
  'orig',
  'n-ik_ml_thumbnail',
] as const

const CROPS: readonly CropStrategy[] = ['maintain_ratio', 'force', 'at_max', 'at_max_enlarge', 'at_least']
const CROP_MODES: readonly CropMode[] = ['pad_resize', 'extract', 'pad_extract']
const FOCI: readonly Focus[] = [
  'center',
  'top',
  'left',
  'bottom',
  'right',
  'top_left',
  'top_right',
  'bottom_left',
  'bottom_right',
  'auto',
  'face',
  'custom',
]
const FORMATS: Readonly<Record<string, FormatParam>> = {
  auto: 'auto',
  orig: 'orig',
  webp: 'webp',
  avif: 'avif',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  png: 'png',
  gif: 'gif',
}
/** A coordinate far past any image the server accepts, so a typo cannot overflow anything. */
const MAX_COORDINATE = 1_000_000

/** Thrown inside the parser with the 400 message; never escapes `parseTransformation`. */
class BadParameter extends Error {}

const bad = (param: string, expected: string): never => {
  throw new BadParameter(`Invalid transformation parameter "${param}": ${expected}.`)
}

function integer(param: string, value: string, min: number, max: number, what: string): number {
  if (!/^\d{1,9}$/.test(value)) bad(param, what)
  const number = Number(value)
  if (number < min || number > max) bad(param, what)
  return number
}

function size(param: string, value: string): number {
  const what = `expected a whole number of pixels from 1 to ${MAX_DIMENSION}, or a fraction between 0 and 1`
  if (/^0?\.\d{1,9}$/.test(value) && Number(value) > 0) return Number(value)
  return integer(param, value, 1, MAX_DIMENSION, what)
}

function flag(param: string, value: string): boolean {
  if (value !== 'true' && value !== 'false') bad(param, 'expected true or false')
  return value === 'true'
}

function oneOf<T extends string>(param: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) bad(param, `expected one of ${allowed.join(', ')}`)
  return value as T
}

/**
 * `bg-RRGGBB`, or `bg-RRGGBBAA` where, as ImageKit documents it, the last two characters are a
 * decimal opacity from 00 to 99 (so `FF000080` is red at 80%), not a hex alpha.
 */
function colour(param: string, value: string): Rgba {
  const match = /^([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})(\d{2})?$/i.exec(value)
  if (!match)
    bad(
      param,
      'expected a hex colour RRGGBB, or RRGGBBAA where AA is an opacity from 00 to 99 (ImageKit’s rule)',
    )
  const [, r, g, b, opacity] = match as RegExpExecArray
  return {
    r: Number.parseInt(r as string, 16),
    g: Number.parseInt(g as string, 16),
    b: Number.parseInt(b as string, 16),
    alpha: opacity === undefined ? 1 : Number(opacity) / 100,
  }
}

function unknown(param: string): never {
  throw new BadParameter(
    `Unknown transformation parameter "${param}". The local server renders ${SUPPORTED_PARAMETERS.join(', ')}.`,
  )
}

/** Reads one `key-value` parameter into `step`. */
function readParameter(step: TransformationStep, param: string, transformation: { original: boolean }): void {
  const dash = param.indexOf('-')
  const key = dash < 0 ? param : param.slice(0, dash)
  const value = dash < 0 ? '' : param.slice(dash + 1)
  if (dash < 0) unknown(param)
  switch (key) {
    case 'w':
    case 'h':
      // w-auto reads a client hint; iw_div_2 and the like are arithmetic on the image's size.
      if (value === 'auto' || /^(iw|ih|iar|cw|ch|car|bw|bh)(_|$)/.test(value))
        bad(param, 'client hints (auto) and arithmetic expressions are not supported by the local server')
      step[key === 'w' ? 'width' : 'height'] = size(param, value)
      return
    case 'ar': {
      const match = /^(\d{1,5}(?:\.\d{1,5})?)-(\d{1,5}(?:\.\d{1,5})?)$/.exec(value)
      const across = Number(match?.[1])
      const down = Number(match?.[2])
      if (!match || !(across > 0) || !(down > 0)) bad(param, 'expected ar-<width>-<height>, e.g. ar-4-3')
      step.aspectRatio = [across, down]
      return
    }
    case 'c':
      step.crop = oneOf(param, value, CROPS)
      return
    case 'cm':
      step.cropMode = oneOf(param, value, CROP_MODES)
      return
    case 'fo':
      step.focus = oneOf(param, value, FOCI)
      return
    case 'x':
    case 'y':
    case 'xc':
    case 'yc':
      step[key] = integer(param, value, 0, MAX_COORDINATE, `expected a whole number of pixels from 0`)
      return
    case 'q':
      step.quality = integer(param, value, 1, 100, 'expected a whole number from 1 to 100')
      return
    case 'f': {
      const format = FORMATS[value]
      if (!format) bad(param, `expected one of ${Object.keys(FORMATS).join(', ')}`)
      step.format = format
      return
    }
    case 'bl':
      step.blur = integer(param, value, 1, 100, 'expected a whole number from 1 to 100')
      return
    case 'r':
      step.radius =
        value === 'max'
          ? 'max'
          : integer(param, value, 1, MAX_DIMENSION, 'expected max or a whole number of pixels')
      return
    case 'bg':
      step.background = colour(param, value)
      return
    case 'dpr': {
      if (!/^\d(\.\d{1,3})?$/.test(value) || Number(value) < 0.1 || Number(value) > 5)
        bad(
          param,
          'expected a number from 0.1 to 5 (dpr-auto needs client hints, which the local server does not read)',
        )
      step.dpr = Number(value)
      return
    }
    case 'rt': {
      const angle =
        value === 'auto' ? 0 : Number(oneOf(param, value, ['0', '90', '180', '270', '360', 'auto']))
      // auto: EXIF orientation, which every rendering applies anyway.
      step.rotate = (angle % 360) as 0 | 90 | 180 | 270
      return
    }
    case 'fl': {
      const flip = oneOf(param, value, ['h', 'v', 'h_v', 'v_h'])
      step.flip = flip === 'v_h' ? 'h_v' : flip
      return
    }
    case 'e':
      if (value !== 'grayscale') bad(param, 'the local server renders only the effect e-grayscale')
      step.grayscale = true
      return
    case 'pr':
      step.progressive = flag(param, value)
      return
    case 'lo':
      step.lossless = flag(param, value)
      return
    case 'orig':
      transformation.original = flag(param, value)
      return
    case 'n':
      if (value !== THUMBNAIL_NAME)
        bad(param, `the only named transformation the local server knows is n-${THUMBNAIL_NAME}`)
      step.thumbnail = true
      return
    default:
      unknown(param)
  }
}

/**
 * Parses an ImageKit transformation string such as `w-300,h-200:r-20` or `n-ik_ml_thumbnail`:
 * steps chained with `:` are kept in order (each applies to the output of the one before);
 * within a step a repeated parameter takes its last value. An unknown parameter or a value
 * outside what ImageKit documents is refused with a message naming it (delivery answers it with
 * 400), never ignored: a URL that renders here renders the same way on ImageKit.
 */
export function parseTransformation(text: string): ParsedTransformation {
  const transformation: Transformation = { steps: [], original: false }
  try {
    for (const stepText of text.split(':')) {
      const step: TransformationStep = {}
      for (const raw of stepText.split(',')) {
        const param = raw.trim()
        if (param) readParameter(step, param, transformation)
      }
      if (Object.keys(step).length > 0) transformation.steps.push(step)
    }
  } catch (error) {
    if (error instanceof BadParameter) return { ok: false, message: error.message }
    throw error
  }
  return { ok: true, transformation }
}

/** The fields of a step in a fixed order, so `w-1,h-2` and `h-2,w-1` share a cache entry. */
const STEP_FIELDS: readonly (keyof TransformationStep)[] = [
  'thumbnail',
  'rotate',
  'flip',
  'width',
  'height',
  'aspectRatio',
  'dpr',
  'crop',
  'cropMode',
  'focus',
  'x',
  'y',
  'xc',
  'yc',
  'blur',
  'grayscale',
  'radius',
  'background',
  'quality',
  'format',
  'progressive',
  'lossless',
]

/** A canonical text of a transformation, equal for equivalent URLs: the render cache's key. */
export function transformationKey(transformation: Transformation): string {
  if (transformation.original) return 'orig'
  return transformation.steps
    .map((step) =>
      STEP_FIELDS.filter((field) => step[field] !== undefined)
        .map((field) => `${field}=${JSON.stringify(step[field])}`)
        .join(','),
    )
    .join(':')
}

/** The format the last step that names one asks for (later steps win, as ImageKit applies them). */
export function requestedFormat(transformation: Transformation): FormatParam {
  let format: FormatParam = 'orig'
  for (const step of transformation.steps) if (step.format) format = step.format
  return format
}
