import { open } from 'node:fs/promises'

/** Whether a file's first bytes are text starting with `<` (an SVG, after a BOM or white space). */
async function looksLikeMarkup(path: string): Promise<boolean> {
  const file = await open(path, 'r')
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(64), 0, 64, 0)
    return /^(\uFEFF)?\s*</.test(buffer.subarray(0, bytesRead).toString('utf8'))
  } finally {
    await file.close()
  }
}

/**
 * The pixel size of an image file, read by sharp from its headers. Used only when the first bytes
 * were not enough for the protocol's `detectFileType` (a JPEG with a large EXIF block before its
 * frame header). Stored size, like `detectFileType`'s, not the EXIF-rotated one.
 * sharp is imported on first use, so a server that never needs it never pays for loading libvips.
 *
 * An SVG is never measured here: one without `width`/`height` or a `viewBox` has no size in its
 * header, and librsvg finds it by laying out the whole document, in this process (a 23 MB SVG of
 * rectangles took 2.7 CPU-seconds and 1 GB). Such a file is stored without a size; rendering it
 * happens in a render worker, within the delivery limits.
 */
export async function readImageSize(path: string): Promise<{ width: number; height: number } | undefined> {
  try {
    if (await looksLikeMarkup(path)) return undefined
    const { default: sharp } = await import('sharp')
    const { width, height } = await sharp(path).metadata()
    return width && height ? { width, height } : undefined
  } catch {
    return undefined
  }
}
