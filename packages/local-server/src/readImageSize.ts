/**
 * The pixel size of an image file, read by sharp from its headers. Used only when the first bytes
 * were not enough for the protocol's `detectFileType` (a JPEG with a large EXIF block before its
 * frame header). Stored size, like `detectFileType`'s, not the EXIF-rotated one.
 * sharp is imported on first use, so a server that never needs it never pays for loading libvips.
 */
export async function readImageSize(path: string): Promise<{ width: number; height: number } | undefined> {
  try {
    const { default: sharp } = await import('sharp')
    const { width, height } = await sharp(path).metadata()
    return width && height ? { width, height } : undefined
  } catch {
    return undefined
  }
}
