import { randomBytes } from 'node:crypto'
import sharp from 'sharp'

/** A JPEG to upload, as Playwright's `setInputFiles` takes it. */
export interface TestFile {
  name: string
  mimeType: string
  buffer: Buffer
}

/**
 * Makes a real JPEG of the given size at test time (no binaries in the repo). `noisy` fills it with
 * random pixels, which JPEG cannot compress: about 1.5 bytes a pixel at quality 95, for uploads that
 * must be big enough to watch their progress.
 */
export async function makeJpeg(
  name: string,
  width: number,
  height: number,
  { noisy = false } = {},
): Promise<TestFile> {
  const image = noisy
    ? sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    : sharp({
        create: { width, height, channels: 3, background: { r: 59, g: 91, b: 253 } },
      }).composite([
        {
          // A diagonal stripe, so a resize that got the aspect ratio wrong would show.
          input: Buffer.from(
            `<svg width="${width}" height="${height}"><path d="M0 ${height} L${width} 0" stroke="white" stroke-width="${Math.ceil(width / 20)}"/></svg>`,
          ),
        },
      ])
  return { name, mimeType: 'image/jpeg', buffer: await image.jpeg({ quality: noisy ? 95 : 85 }).toBuffer() }
}
