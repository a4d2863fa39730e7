import { mkdir, rename, stat, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Transformation } from './parseTransformation'

/** Formats sharp writes back as themselves; anything else it can read (SVG, TIFF, HEIF) becomes PNG. */
const OUTPUT_FORMATS: Readonly<Record<string, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
}

/** The size of the named thumbnail's box (ours: ImageKit does not publish it). */
export const THUMBNAIL_BOX = 200

/**
 * Renders `transformation` of the image at `source` into `target` (written to a temp name, then
 * renamed, so a concurrent reader never sees half a rendering) and returns its MIME type, or
 * `undefined` when sharp cannot read the image (the original is then served). An existing
 * rendering is reused: its name holds the version id, so it can never be stale.
 */
export async function renderImage(
  source: string,
  target: string,
  transformation: Transformation,
): Promise<string | undefined> {
  const { default: sharp } = await import('sharp')
  let format: string | undefined
  try {
    // failOn 'none': a slightly broken JPEG still gets its thumbnail, as browsers still show it.
    const image = sharp(source, { failOn: 'none', animated: true })
    const metadata = await image.metadata()
    format = metadata.format && OUTPUT_FORMATS[metadata.format] ? metadata.format : 'png'
    const mime = OUTPUT_FORMATS[format] as string
    if (
      await stat(target).then(
        () => true,
        () => false,
      )
    )
      return mime
    const pageHeight = metadata.pageHeight ?? metadata.height ?? 0
    const scale = (value: number | undefined, of: number) =>
      value === undefined ? undefined : Math.max(1, Math.round(value < 1 ? value * of : value))
    const width = scale(transformation.width, metadata.width ?? 0)
    const height = scale(transformation.height, pageHeight)
    // rotate(): apply the EXIF orientation, as browsers do when they show the original.
    let pipeline = image.rotate()
    // Both sides given: ImageKit's default crop (maintain_ratio) fills the box and crops the centre.
    if (width !== undefined || height !== undefined)
      pipeline = pipeline.resize({ width, height, fit: 'cover' })
    else if (transformation.thumbnail)
      pipeline = pipeline.resize({
        width: THUMBNAIL_BOX,
        height: THUMBNAIL_BOX,
        fit: 'inside',
        withoutEnlargement: true,
      })
    await mkdir(dirname(target), { recursive: true })
    const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
    try {
      await pipeline.toFormat(format as 'png').toFile(temp)
      await rename(temp, target)
    } catch (error) {
      await unlink(temp).catch(() => {})
      throw error
    }
    return mime
  } catch {
    return undefined
  }
}
