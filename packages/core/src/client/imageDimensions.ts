/**
 * The image dimension limits, an opt-in check for the uploader's `checkImage` option: decoding
 * images (`createImageBitmap`) and wording their refusals costs bytes that an app without limits
 * should not ship (issue 8's budgets), so only an app that imports this carries it.
 */
import type { FileRejection } from './UploadItem'

/** The bounds of `imageDimensions`, in pixels; each one is optional. */
export interface ImageDimensionLimits {
  /** Smallest image width in pixels. @default none */
  minWidth?: number
  /** Smallest image height in pixels. @default none */
  minHeight?: number
  /** Largest image width in pixels. @default none */
  maxWidth?: number
  /** Largest image height in pixels. @default none */
  maxHeight?: number
}

/**
 * A `checkImage` that refuses images outside the limits, read with `createImageBitmap`:
 * `checkImage={imageDimensions({ minWidth: 100, maxWidth: 4000 })}`. The first bound broken gives
 * the rejection: code `image-too-small` or `image-too-large`, and a message that names the file, its
 * size in pixels and the limit (`photo.png is 50×80 px; it must be at least 100 px wide.`). An image
 * the browser cannot decode counts as 0 × 0 px: too small for any minimum (`photo.png could not be
 * read as an image.`).
 */
export const imageDimensions =
  ({ minWidth = 0, minHeight = 0, maxWidth = Infinity, maxHeight = Infinity }: ImageDimensionLimits) =>
  async (file: File): Promise<FileRejection | undefined> => {
    // No limit set (1 / Infinity is 0): nothing to decode.
    if (!(minWidth + minHeight + 1 / maxWidth + 1 / maxHeight)) return
    // The bitmap is closed at once, since it holds the whole decoded image.
    const [width, height] = await createImageBitmap(file).then(
      (bitmap) => [bitmap.width, bitmap.height, bitmap.close()] as const,
      () => [0, 0],
    )
    // The first bound the image breaks, named with the number it breaks.
    for (const [broken, size, most, limit, side] of [
      [width < minWidth, 'small', 'least', minWidth, 'wide'],
      [height < minHeight, 'small', 'least', minHeight, 'high'],
      [width > maxWidth, 'large', 'most', maxWidth, 'wide'],
      [height > maxHeight, 'large', 'most', maxHeight, 'high'],
    ] as const)
      if (broken)
        return {
          code: `image-too-${size}`,
          message: width
            ? `${file.name} is ${width}×${height} px; it must be at ${most} ${limit} px ${side}.`
            : `${file.name} could not be read as an image.`,
        }
  }
