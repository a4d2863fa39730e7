import type sharpModule from 'sharp'
import type { Sharp, SharpOptions } from 'sharp'
import type { FormatParam, TransformationStep } from './parseTransformation'

/** The formats a rendering is written in. */
export type OutputFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif'

/** What one render needs: plain data, sent to a render worker process as JSON. */
export interface RenderJob {
  /** The stored image. */
  source: string
  /** Where to write the rendering (a temp name the caller renames). */
  target: string
  steps: TransformationStep[]
  /** The format asked for (`orig` when none was). */
  format: FormatParam
  /** What the request's `Accept` allows, for `f-auto`. */
  accepts: { avif: boolean; webp: boolean }
  /** Largest input, width × height (× frames for an animation), after an SVG is rasterised. */
  maxInputPixels: number
  /** Largest output width or height. */
  maxDimension: number
  /** The named thumbnail's box. */
  thumbnailBox: number
  /** sharp's own processing timeout, a first and gentler stop than the worker's CPU budget. */
  timeoutSeconds: number
}

/** A render's answer: the rendering's format and size, or the status and message to answer with. */
export type RenderReply =
  | { ok: true; format: OutputFormat; width: number; height: number }
  | { ok: false; status: 400 | 422; message: string }

/**
 * Renders `job` with `sharp`. It runs in a render worker process (see `RenderPool`), which is sent
 * this function's source text: so it must stay self-contained, using only its arguments and
 * JavaScript's globals, with every helper and constant declared inside it (types are erased).
 *
 * Each step is applied to the previous step's output, held as raw pixels in between. Within a
 * step, as ImageKit does: rotate and flip, then resize or crop (`w`, `h`, `ar`, `dpr`, `c`, `cm`,
 * `fo`, `x`/`y`/`xc`/`yc`, `n-ik_ml_thumbnail`), then blur and grayscale, then the corner radius,
 * then `bg` under what is transparent. The format, quality and flags are the last ones named.
 */
export async function renderJob(sharp: typeof sharpModule, job: RenderJob): Promise<RenderReply> {
  type Step = TransformationStep
  class Refusal {
    constructor(
      readonly status: 400 | 422,
      readonly message: string,
    ) {}
  }
  const refuse = (status: 400 | 422, message: string): never => {
    throw new Refusal(status, message)
  }
  const WRITABLE = ['jpeg', 'png', 'webp', 'avif', 'gif']
  const WHITE = { r: 255, g: 255, b: 255, alpha: 1 }
  const GRAVITY: Record<string, string> = {
    center: 'centre',
    top: 'north',
    top_right: 'northeast',
    right: 'east',
    bottom_right: 'southeast',
    bottom: 'south',
    bottom_left: 'southwest',
    left: 'west',
    top_left: 'northwest',
  }
  /** Parameters an animation keeps its frames through; anything else renders its first frame. */
  const ANIMATION_SAFE = new Set([
    'width',
    'height',
    'aspectRatio',
    'crop',
    'dpr',
    'quality',
    'format',
    'thumbnail',
  ])
  const megapixels = (pixels: number) => `${Math.round(pixels / 100_000) / 10} MP`
  const last = <K extends keyof Step>(key: K): Step[K] | undefined => {
    let value: Step[K] | undefined
    for (const step of job.steps) if (step[key] !== undefined) value = step[key]
    return value
  }

  try {
    const probe = await sharp(job.source, { failOn: 'none', limitInputPixels: false }).metadata()
    if (!probe.width || !probe.height) return refuse(422, 'This file could not be read as an image.')
    const isSvg = probe.format === 'svg'
    const pages = probe.pages ?? 1
    let width = probe.autoOrient?.width ?? probe.width
    // An animation's frames are stacked in one tall image: its height is a frame's.
    let height = pages > 1 && probe.pageHeight ? probe.pageHeight : (probe.autoOrient?.height ?? probe.height)

    // An SVG is rasterised at the size the first step asks for (crisp, as ImageKit does), not at
    // its declared size and then scaled; the pixel limit below judges that raster.
    let density: number | undefined
    const first = job.steps[0]
    if (isSvg && first) {
      const dpr = first.dpr ?? 1
      const wanted = Math.max(
        first.width !== undefined && first.width >= 1 ? first.width * dpr : 0,
        first.height !== undefined && first.height >= 1 ? first.height * dpr : 0,
      )
      const scale = wanted / Math.max(width, height)
      if (scale > 1) {
        density = Math.min(72 * scale, 72 * Math.sqrt(job.maxInputPixels / (width * height)))
        density = Math.max(72, density)
        width = Math.round((width * density) / 72)
        height = Math.round((height * density) / 72)
      }
    }
    if (width * height > job.maxInputPixels)
      refuse(
        422,
        `This image is ${width} × ${height} pixels (${megapixels(width * height)}); the local server transforms images of at most ${megapixels(job.maxInputPixels)} (the maxInputPixels option).`,
      )

    const ownFormat: OutputFormat = WRITABLE.includes(probe.format)
      ? (probe.format as OutputFormat)
      : probe.format === 'heif' && probe.compression === 'av1'
        ? 'avif'
        : 'png'
    const animatable =
      pages > 1 &&
      job.steps.length <= 1 &&
      job.steps.every((step) => Object.keys(step).every((key) => ANIMATION_SAFE.has(key))) &&
      width * height * pages <= job.maxInputPixels
    let format: OutputFormat =
      job.format === 'orig' ? ownFormat : job.format === 'auto' ? ownFormat : (job.format as OutputFormat)
    if (job.format === 'auto') {
      // An animation stays one: to WebP when the browser takes it, else as it is.
      if (animatable) format = job.accepts.webp ? 'webp' : ownFormat
      else if (job.accepts.avif) format = 'avif'
      else if (job.accepts.webp) format = 'webp'
    }
    const animated = animatable && (format === 'gif' || format === 'webp')

    const options: SharpOptions = {
      failOn: 'none',
      limitInputPixels: job.maxInputPixels,
      autoOrient: true,
      ...(animated && { animated: true }),
      ...(density !== undefined && { density }),
    }
    const timed = (image: Sharp) => image.timeout({ seconds: job.timeoutSeconds })
    let image = timed(sharp(job.source, options))
    let hasAlpha = probe.hasAlpha === true
    /** Holds the pipeline's result as raw pixels, so the next operation sees exact dimensions. */
    const materialise = async (pipeline: Sharp) => {
      const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
      width = info.width
      height = info.height
      hasAlpha = info.channels === 4 || info.channels === 2
      return timed(sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }))
    }
    const tooLarge = (w: number, h: number) => {
      if (w > job.maxDimension || h > job.maxDimension)
        refuse(
          400,
          `The transformation asks for an image of ${w} × ${h} pixels; the local server renders at most ${job.maxDimension} pixels a side.`,
        )
    }

    /** A size that follows from the image may pass the limit only when it is no enlargement. */
    const enlarged = (scale: number) => {
      if (scale > 1) tooLarge(Math.round(width * scale), Math.round(height * scale))
    }

    for (const [index, step] of job.steps.entries()) {
      if (index > 0) image = await materialise(image)
      if (step.rotate) {
        image = image.rotate(step.rotate)
        if (step.rotate !== 180) [width, height] = [height, width]
      }
      if (step.flip === 'h' || step.flip === 'h_v') image = image.flop()
      if (step.flip === 'v' || step.flip === 'h_v') image = image.flip()

      const resolve = (value: number | undefined, of: number) =>
        value === undefined ? undefined : Math.max(1, Math.round(value < 1 ? value * of : value))
      let w = resolve(step.width, width)
      let h = resolve(step.height, height)
      if (step.aspectRatio && (w === undefined) !== (h === undefined)) {
        const [across, down] = step.aspectRatio
        if (w !== undefined) h = Math.max(1, Math.round((w * down) / across))
        else if (h !== undefined) w = Math.max(1, Math.round((h * across) / down))
      }
      if (step.dpr !== undefined && (w !== undefined || h !== undefined)) {
        const scaled = [w, h].map((side) =>
          side === undefined ? undefined : Math.round(side * (step.dpr ?? 1)),
        )
        // ImageKit ignores a dpr that would take a side below 1 or past its limit.
        if (scaled.every((side) => side === undefined || (side >= 1 && side <= job.maxDimension)))
          [w, h] = scaled
      }
      tooLarge(w ?? 0, h ?? 0)
      const background = step.background ?? WHITE
      let padded = false

      if (step.cropMode === 'extract' || step.cropMode === 'pad_extract') {
        const regionWidth = w ?? width
        const regionHeight = h ?? height
        let left: number
        let top: number
        if (step.x !== undefined || step.y !== undefined) {
          left = step.x ?? 0
          top = step.y ?? 0
        } else if (step.xc !== undefined || step.yc !== undefined) {
          left = Math.round((step.xc ?? width / 2) - regionWidth / 2)
          top = Math.round((step.yc ?? height / 2) - regionHeight / 2)
        } else {
          const focus = step.focus ?? 'center'
          left = /left/.test(focus)
            ? 0
            : /right/.test(focus)
              ? width - regionWidth
              : Math.floor((width - regionWidth) / 2)
          top = /top/.test(focus)
            ? 0
            : /bottom/.test(focus)
              ? height - regionHeight
              : Math.floor((height - regionHeight) / 2)
        }
        const inside = { left: Math.max(0, left), top: Math.max(0, top) }
        const right = Math.min(width, left + regionWidth)
        const bottom = Math.min(height, top + regionHeight)
        const fits = left >= 0 && top >= 0 && left + regionWidth <= width && top + regionHeight <= height
        if (right <= inside.left || bottom <= inside.top || (step.cropMode === 'extract' && !fits))
          refuse(
            400,
            `cm-${step.cropMode}: the ${regionWidth} × ${regionHeight} region at (${left}, ${top}) is outside the ${width} × ${height} image.`,
          )
        image = image.extract({ ...inside, width: right - inside.left, height: bottom - inside.top })
        if (!fits) {
          image = image.extend({
            left: inside.left - left,
            top: inside.top - top,
            right: left + regionWidth - right,
            bottom: top + regionHeight - bottom,
            background,
          })
          padded = true
        }
        width = regionWidth
        height = regionHeight
      } else if (step.cropMode === 'pad_resize' && w !== undefined && h !== undefined) {
        image = image.resize({
          width: w,
          height: h,
          fit: 'contain',
          position: GRAVITY[step.focus ?? 'center'] ?? 'centre',
          background,
        })
        padded = true
        width = w
        height = h
      } else if (w !== undefined && h !== undefined) {
        const crop = step.crop ?? 'maintain_ratio'
        if (crop === 'at_least') enlarged(Math.max(w / width, h / height))
        const fit = {
          maintain_ratio: 'cover',
          force: 'fill',
          at_max: 'inside',
          at_max_enlarge: 'inside',
          at_least: 'outside',
        } as const
        const focus = step.focus ?? 'center'
        image = image.resize({
          width: w,
          height: h,
          fit: fit[crop],
          withoutEnlargement: crop === 'at_max',
          position:
            crop === 'maintain_ratio' && (focus === 'auto' || focus === 'face')
              ? sharp.strategy.attention
              : (GRAVITY[focus] ?? 'centre'),
        })
      } else if (w !== undefined || h !== undefined) {
        // One side: the other keeps the aspect ratio. at_max never enlarges (so a srcset's
        // `w-<n>,c-at_max` is never wider than the original), as on ImageKit.
        const scale = w !== undefined ? w / width : (h as number) / height
        const withoutEnlargement = step.crop === 'at_max'
        if (!withoutEnlargement) enlarged(scale)
        image = image.resize({ width: w, height: h, withoutEnlargement })
      } else if (step.thumbnail) {
        image = image.resize({
          width: job.thumbnailBox,
          height: job.thumbnailBox,
          fit: 'inside',
          withoutEnlargement: true,
        })
      }

      if (step.blur) image = image.blur(Math.max(0.3, step.blur / 2))
      if (step.grayscale) image = image.grayscale()

      if (step.radius !== undefined) {
        image = await materialise(image.ensureAlpha())
        const rx = step.radius === 'max' ? width / 2 : Math.min(step.radius, width / 2, height / 2)
        const ry = step.radius === 'max' ? height / 2 : rx
        const mask = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" rx="${rx}" ry="${ry}"/></svg>`
        image = image.composite([{ input: Buffer.from(mask), blend: 'dest-in' }])
        hasAlpha = true
      }
      // bg fills what is transparent (the corners of r, a PNG's background); a pad used it already.
      if (step.background && !padded && hasAlpha) {
        const { data, info } = await image.raw().toBuffer({ resolveWithObject: true })
        image = timed(
          sharp({
            create: { width: info.width, height: info.height, channels: 4, background: step.background },
          }),
        ).composite([
          { input: data, raw: { width: info.width, height: info.height, channels: info.channels } },
        ])
        width = info.width
        height = info.height
      }
    }

    // JPEG has no alpha: what is transparent becomes the last bg named, or white.
    if (format === 'jpeg' && (hasAlpha || job.steps.some((step) => step.radius !== undefined))) {
      image = await materialise(image)
      image = image.flatten({ background: last('background') ?? WHITE })
    }
    const quality = last('quality')
    const progressive = last('progressive') ?? false
    const lossless = last('lossless') ?? false
    // Encoder efforts are low on purpose: a development server answers fast (AVIF at its default
    // effort takes seconds for a 1000-pixel image), and the CPU budget stops slow renders.
    const encoded =
      format === 'jpeg'
        ? image.jpeg({ quality: quality ?? 80, progressive })
        : format === 'png'
          ? image.png({ progressive })
          : format === 'webp'
            ? image.webp({ quality: quality ?? 80, lossless, effort: 2 })
            : format === 'avif'
              ? image.avif({ ...(quality !== undefined && { quality }), lossless, effort: 0 })
              : image.gif()
    const info = await encoded.toFile(job.target)
    return { ok: true, format, width: info.width, height: info.height }
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, status: error.status, message: error.message }
    const text = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
    if (/pixel limit/i.test(text))
      return {
        ok: false,
        status: 422,
        message: `This image is larger than the ${megapixels(job.maxInputPixels)} the local server transforms (the maxInputPixels option).`,
      }
    if (/timeout/i.test(text))
      return {
        ok: false,
        status: 422,
        message: `Rendering this image took longer than ${job.timeoutSeconds} s, the local server's limit.`,
      }
    return { ok: false, status: 422, message: `This image could not be rendered: ${text}` }
  }
}
