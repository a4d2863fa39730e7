import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeImage, startTestServer, stopTestServer, type TestServer, upload } from './helpers'

// Issue 12: the local server renders what an ImageKit URL builder emits for images, each
// parameter checked here on the decoded output (size, format, alpha, pixels), chained steps and
// both positions, and anything it does not render is a 400 that names it, never the untransformed file.

type Rgb = readonly [number, number, number]
const RED: Rgb = [255, 0, 0]
const GREEN: Rgb = [0, 255, 0]
const BLUE: Rgb = [0, 0, 255]
const YELLOW: Rgb = [255, 255, 0]
const WHITE: Rgb = [255, 255, 255]
const MAGENTA: Rgb = [255, 0, 255]

/** 400×300, one colour per quadrant: red top left, green top right, blue bottom left, yellow bottom right. */
async function quadrants(): Promise<Uint8Array<ArrayBuffer>> {
  const width = 400
  const height = 300
  const pixels = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const colour = y < 150 ? (x < 200 ? RED : GREEN) : x < 200 ? BLUE : YELLOW
      pixels.set(colour, (y * width + x) * 3)
    }
  return Uint8Array.from(
    await sharp(pixels, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer(),
  )
}

interface Decoded {
  format: string | undefined
  width: number
  height: number
  hasAlpha: boolean
  pages: number
  isProgressive: boolean
  /** RGBA at a point. */
  at(x: number, y: number): [number, number, number, number]
  bytes: number
}

async function decode(response: Response): Promise<Decoded> {
  expect(
    response.status,
    await response
      .clone()
      .text()
      .catch(() => ''),
  ).toBe(200)
  const buffer = Buffer.from(await response.arrayBuffer())
  const metadata = await sharp(buffer).metadata()
  const { data, info } = await sharp(buffer).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return {
    format: metadata.format,
    width: info.width,
    height: metadata.pageHeight ?? info.height,
    hasAlpha: metadata.hasAlpha,
    pages: metadata.pages ?? 1,
    isProgressive: metadata.isProgressive,
    bytes: buffer.length,
    at: (x, y) => {
      const offset = (y * info.width + x) * 4
      return [data[offset] ?? 0, data[offset + 1] ?? 0, data[offset + 2] ?? 0, data[offset + 3] ?? 0]
    },
  }
}

/** Whether a pixel is within `tolerance` of a colour (lossy formats move colours a little). */
const near = (pixel: readonly number[], colour: Rgb, tolerance = 40) =>
  colour.every((channel, index) => Math.abs((pixel[index] ?? 0) - channel) <= tolerance)

let server: TestServer
let photoJpeg: Uint8Array<ArrayBuffer>
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.urlEndpoint}${path}`, { headers })
const render = async (transformation: string, file = '/q.png', headers: Record<string, string> = {}) =>
  decode(await get(`/tr:${transformation}${file}`, headers))

beforeAll(async () => {
  server = await startTestServer()
  const put = (bytes: Uint8Array<ArrayBuffer>, name: string) =>
    upload(server, { useUniqueFileName: 'false' }, new Blob([bytes]), name)
  photoJpeg = await makeImage(400, 300, 'jpeg', '#3080ff')
  await put(await quadrants(), 'q.png')
  await put(photoJpeg, 'photo.jpg')
  // A transparent PNG: a red square in the middle of nothing.
  const transparent = await sharp({
    create: { width: 100, height: 100, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
  })
    .composite([
      { input: { create: { width: 50, height: 50, channels: 4, background: '#ff0000' } }, left: 25, top: 25 },
    ])
    .png()
    .toBuffer()
  await put(Uint8Array.from(transparent), 'clear.png')
  // Two frames, green then blue (identical frames would be merged by the GIF encoder).
  const frames = Buffer.alloc(40 * 80 * 3)
  for (let index = 0; index < 40 * 80; index++) frames.set(index < 40 * 40 ? GREEN : BLUE, index * 3)
  const animation = await sharp(frames, { raw: { width: 40, height: 80, channels: 3, pageHeight: 40 } })
    .gif()
    .toBuffer()
  await put(Uint8Array.from(animation), 'anim.gif')
})
afterAll(() => stopTestServer(server))

describe('sizes: w, h, ar, dpr', () => {
  it('w alone keeps the aspect ratio; h alone too; a fraction is of the input', async () => {
    expect(await render('w-200')).toMatchObject({ width: 200, height: 150 })
    expect(await render('h-60')).toMatchObject({ width: 80, height: 60 })
    expect(await render('w-0.25')).toMatchObject({ width: 100, height: 75 })
  })

  it('ar-4-3 gives the other side from w or h, and is ignored when both are given', async () => {
    expect(await render('w-120,ar-1-1')).toMatchObject({ width: 120, height: 120 })
    expect(await render('h-90,ar-4-3')).toMatchObject({ width: 120, height: 90 })
    expect(await render('w-100,h-50,ar-1-1')).toMatchObject({ width: 100, height: 50 })
  })

  it('dpr-2 doubles the asked size; a dpr that would pass 5000 pixels is ignored, as ImageKit does', async () => {
    expect(await render('w-100,dpr-2')).toMatchObject({ width: 200, height: 150 })
    expect(await render('w-60,h-40,dpr-1.5')).toMatchObject({ width: 90, height: 60 })
    expect(await render('w-3000,dpr-2')).toMatchObject({ width: 3000, height: 2250 })
  })
})

describe('crop strategies: c', () => {
  it('maintain_ratio (the default) fills the box and crops the centre', async () => {
    const image = await render('w-100,h-100')
    expect(image).toMatchObject({ width: 100, height: 100 })
    // The middle of a 300×300 centre crop: all four quadrants meet there.
    expect(near(image.at(5, 5), RED)).toBe(true)
    expect(near(image.at(94, 94), YELLOW)).toBe(true)
    expect(await render('w-100,h-100,c-maintain_ratio')).toMatchObject({ width: 100, height: 100 })
  })

  it('force squeezes the whole image into the box', async () => {
    const image = await render('w-100,h-100,c-force')
    expect(image).toMatchObject({ width: 100, height: 100 })
    expect(near(image.at(2, 2), RED)).toBe(true)
    expect(near(image.at(97, 2), GREEN)).toBe(true)
    expect(near(image.at(2, 97), BLUE)).toBe(true)
  })

  it('at_max fits inside the box and never enlarges; at_max_enlarge may', async () => {
    expect(await render('w-100,h-100,c-at_max')).toMatchObject({ width: 100, height: 75 })
    expect(await render('w-1000,h-1000,c-at_max')).toMatchObject({ width: 400, height: 300 })
    expect(await render('w-1000,h-1000,c-at_max_enlarge')).toMatchObject({ width: 1000, height: 750 })
  })

  it('at_max with one side never enlarges either (a srcset candidate past the original)', async () => {
    expect(await render('w-100,c-at_max')).toMatchObject({ width: 100, height: 75 })
    expect(await render('w-1080,c-at_max')).toMatchObject({ width: 400, height: 300 })
    expect(await render('w-1080')).toMatchObject({ width: 1080, height: 810 })
  })

  it('at_least covers the box, one side matching and the other larger', async () => {
    expect(await render('w-100,h-100,c-at_least')).toMatchObject({ width: 133, height: 100 })
  })
})

describe('crop modes and focus: cm, fo, x, y', () => {
  it('cm-pad_resize fits the image and pads to the exact box with bg, centred by default', async () => {
    const image = await render('w-200,h-200,cm-pad_resize,bg-FF00FF')
    expect(image).toMatchObject({ width: 200, height: 200 })
    expect(near(image.at(100, 5), MAGENTA)).toBe(true)
    expect(near(image.at(100, 194), MAGENTA)).toBe(true)
    expect(near(image.at(50, 60), RED)).toBe(true)
  })

  it('cm-pad_resize with fo-top puts all the padding at the bottom; white without bg', async () => {
    const image = await render('w-200,h-200,cm-pad_resize,fo-top')
    expect(near(image.at(50, 5), RED)).toBe(true)
    expect(near(image.at(100, 194), WHITE)).toBe(true)
  })

  it('cm-extract cuts a region at full scale: centre by default, a corner with fo, a point with x and y', async () => {
    const centre = await render('w-100,h-100,cm-extract')
    expect(centre).toMatchObject({ width: 100, height: 100 })
    expect(near(centre.at(10, 10), RED)).toBe(true)
    expect(near(centre.at(90, 90), YELLOW)).toBe(true)
    for (const [focus, colour] of [
      ['top_left', RED],
      ['top_right', GREEN],
      ['bottom_left', BLUE],
      ['bottom_right', YELLOW],
    ] as const) {
      const corner = await render(`w-100,h-100,cm-extract,fo-${focus}`)
      expect(near(corner.at(50, 50), colour), focus).toBe(true)
    }
    const point = await render('w-50,h-50,cm-extract,x-300,y-200')
    expect(near(point.at(25, 25), YELLOW)).toBe(true)
  })

  it('cm-extract past the image edge is a 400; cm-pad_extract pads instead', async () => {
    const outside = await get('/tr:w-100,h-100,cm-extract,x-350,y-0/q.png')
    expect(outside.status).toBe(400)
    expect((await outside.json()).message).toBe(
      'cm-extract: the 100 × 100 region at (350, 0) is outside the 400 × 300 image.',
    )
    const padded = await render('w-500,h-400,cm-pad_extract,bg-FF00FF')
    expect(padded).toMatchObject({ width: 500, height: 400 })
    expect(near(padded.at(2, 2), MAGENTA)).toBe(true)
    expect(near(padded.at(60, 60), RED)).toBe(true)
  })

  it('fo moves a maintain_ratio crop; fo-auto crops on the salient part', async () => {
    const left = await render('w-100,h-300,fo-left')
    expect(near(left.at(50, 10), RED)).toBe(true)
    const right = await render('w-100,h-300,fo-right')
    expect(near(right.at(50, 10), GREEN)).toBe(true)
    expect(await render('w-100,h-100,fo-auto')).toMatchObject({ width: 100, height: 100 })
  })
})

describe('format and quality: f, q, pr, lo', () => {
  it('renders f-webp, f-avif, f-png, f-jpg and f-jpeg with their Content-Type', async () => {
    for (const [format, decoded, type] of [
      ['webp', 'webp', 'image/webp'],
      ['avif', 'heif', 'image/avif'],
      ['png', 'png', 'image/png'],
      ['jpg', 'jpeg', 'image/jpeg'],
      ['jpeg', 'jpeg', 'image/jpeg'],
    ]) {
      const response = await get(`/tr:w-50,f-${format}/photo.jpg`)
      expect(response.headers.get('content-type'), format).toBe(type)
      expect(response.headers.get('vary'), format).toBeNull()
      expect((await decode(response)).format, format).toBe(decoded)
    }
  })

  it('f-auto picks AVIF, then WebP, then the stored format by Accept, and varies on it', async () => {
    const answers = await Promise.all(
      ['image/avif,image/webp,image/*,*/*;q=0.8', 'image/webp,*/*', '*/*', 'image/avif;q=0,image/webp'].map(
        (accept) => get('/tr:w-50,f-auto/photo.jpg', { accept }),
      ),
    )
    expect(answers.map((answer) => answer.headers.get('content-type'))).toEqual([
      'image/avif',
      'image/webp',
      'image/jpeg',
      'image/webp',
    ])
    expect(answers.map((answer) => answer.headers.get('vary'))).toEqual(Array(4).fill('Accept'))
    expect(new Set(answers.slice(0, 3).map((answer) => answer.headers.get('etag'))).size).toBe(3)
  })

  it('q sets the quality of a lossy format', async () => {
    const low = await render('w-300,q-5,f-jpg', '/q.png')
    const high = await render('w-300,q-95,f-jpg', '/q.png')
    expect(low.bytes).toBeLessThan(high.bytes)
  })

  it('pr-true writes a progressive JPEG; lo-true a lossless WebP', async () => {
    expect((await render('w-100,pr-true', '/photo.jpg')).isProgressive).toBe(true)
    expect((await render('w-100', '/photo.jpg')).isProgressive).toBe(false)
    const lossless = await render('f-webp,lo-true')
    expect(lossless.at(10, 10).slice(0, 3)).toEqual([...RED])
  })
})

describe('effects: bl, r, bg, rt, fl, e-grayscale', () => {
  it('bl blurs: the edge between two quadrants becomes a blend', async () => {
    const sharpEdge = await render('w-400')
    const blurred = await render('w-400,bl-10')
    expect(near(sharpEdge.at(199, 75), RED, 5)).toBe(true)
    const [red, green] = blurred.at(199, 75)
    expect(red).toBeGreaterThan(60)
    expect(green).toBeGreaterThan(60)
  })

  it('r rounds the corners into transparency; r-max makes an ellipse', async () => {
    const rounded = await render('w-200,r-30')
    expect(rounded.hasAlpha).toBe(true)
    expect(rounded.at(0, 0)[3]).toBe(0)
    expect(rounded.at(100, 75)[3]).toBe(255)
    expect(rounded.at(30, 0)[3]).toBe(255)
    const ellipse = await render('w-200,r-max')
    expect(ellipse.at(0, 0)[3]).toBe(0)
    expect(ellipse.at(20, 20)[3]).toBe(0)
    expect(ellipse.at(100, 2)[3]).toBe(255)
  })

  it('r on a JPEG fills the corners with white, or with bg', async () => {
    const white = await render('w-200,r-max', '/photo.jpg')
    expect(white).toMatchObject({ format: 'jpeg', hasAlpha: false })
    expect(near(white.at(1, 1), WHITE)).toBe(true)
    const black = await render('w-200,r-max,bg-000000', '/photo.jpg')
    expect(near(black.at(1, 1), [0, 0, 0])).toBe(true)
  })

  it('bg fills what is transparent; its last two digits are an opacity from 00 to 99', async () => {
    const filled = await render('bg-0000FF', '/clear.png')
    expect(filled.at(2, 2)).toEqual([0, 0, 255, 255])
    expect(filled.at(50, 50)).toEqual([255, 0, 0, 255])
    const translucent = await render('bg-0000FF50', '/clear.png')
    expect(translucent.at(2, 2)[3]).toBeGreaterThanOrEqual(126)
    expect(translucent.at(2, 2)[3]).toBeLessThanOrEqual(129)
  })

  it('rt turns the image; fl mirrors it; e-grayscale drops the colour', async () => {
    const turned = await render('rt-90')
    expect(turned).toMatchObject({ width: 300, height: 400 })
    // Clockwise: the bottom left (blue) comes to the top left.
    expect(near(turned.at(5, 5), BLUE)).toBe(true)
    expect(near((await render('fl-h')).at(5, 5), GREEN)).toBe(true)
    expect(near((await render('fl-v')).at(5, 5), BLUE)).toBe(true)
    const [r, g, b] = (await render('e-grayscale')).at(5, 5)
    expect(r).toBe(g)
    expect(g).toBe(b)
  })
})

describe('steps, positions and names', () => {
  it('applies chained steps in order, each to the output of the one before', async () => {
    expect(await render('w-0.5:w-0.5')).toMatchObject({ width: 100, height: 75 })
    const circle = await render('w-200,h-200:r-max')
    expect(circle).toMatchObject({ width: 200, height: 200 })
    expect(circle.at(2, 2)[3]).toBe(0)
    expect(circle.at(100, 2)[3]).toBe(255)
    // Turned after the resize: 200×150, then 150×200.
    expect(await render('w-200:rt-90')).toMatchObject({ width: 150, height: 200 })
  })

  it('takes the transformation in the path, in the query, or both (path first)', async () => {
    expect(await decode(await get('/tr:w-100,h-40/q.png'))).toMatchObject({ width: 100, height: 40 })
    expect(await decode(await get('/q.png?tr=w-100,h-40'))).toMatchObject({ width: 100, height: 40 })
    expect(await decode(await get('/q.png?tr=w-200%3Art-90'))).toMatchObject({ width: 150, height: 200 })
    expect(await decode(await get('/tr:w-200/q.png?tr=rt-90'))).toMatchObject({ width: 150, height: 200 })
  })

  it('renders n-ik_ml_thumbnail inside 200×200, never enlarged', async () => {
    expect(await render('n-ik_ml_thumbnail')).toMatchObject({ width: 200, height: 150 })
    expect(await render('n-ik_ml_thumbnail', '/clear.png')).toMatchObject({ width: 100, height: 100 })
  })

  it('orig-true serves the stored bytes, whatever else the URL asks', async () => {
    const response = await get('/tr:w-100,orig-true/photo.jpg')
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(photoJpeg)
  })

  it('keeps an animation animated through a resize', async () => {
    const animation = await render('w-20', '/anim.gif')
    expect(animation).toMatchObject({ format: 'gif', width: 20, height: 20, pages: 2 })
  })
})

describe('what is not rendered', () => {
  it('answers an unknown parameter with a 400 naming it, never the untransformed file', async () => {
    for (const [transformation, message] of [
      [
        'w-100,zz-3',
        'Unknown transformation parameter "zz-3". The local server renders w, h, ar, c, cm, fo, x, y, xc, yc, q, f, bl, r, bg, dpr, rt, fl, e-grayscale, pr, lo, orig, n-ik_ml_thumbnail.',
      ],
      [
        'w-abc',
        'Invalid transformation parameter "w-abc": expected a whole number of pixels from 1 to 5000, or a fraction between 0 and 1.',
      ],
      [
        'c-fill',
        'Invalid transformation parameter "c-fill": expected one of maintain_ratio, force, at_max, at_max_enlarge, at_least.',
      ],
      [
        'fo-middle',
        'Invalid transformation parameter "fo-middle": expected one of center, top, left, bottom, right, top_left, top_right, bottom_left, bottom_right, auto, face, custom.',
      ],
      [
        'f-tiff',
        'Invalid transformation parameter "f-tiff": expected one of auto, orig, webp, avif, jpg, jpeg, png, gif.',
      ],
      ['q-0', 'Invalid transformation parameter "q-0": expected a whole number from 1 to 100.'],
      ['bl-101', 'Invalid transformation parameter "bl-101": expected a whole number from 1 to 100.'],
      ['r-round', 'Invalid transformation parameter "r-round": expected max or a whole number of pixels.'],
      [
        'bg-FF0000AB',
        'Invalid transformation parameter "bg-FF0000AB": expected a hex colour RRGGBB, or RRGGBBAA where AA is an opacity from 00 to 99 (ImageKit’s rule).',
      ],
      [
        'dpr-auto',
        'Invalid transformation parameter "dpr-auto": expected a number from 0.1 to 5 (dpr-auto needs client hints, which the local server does not read).',
      ],
      [
        'w-auto',
        'Invalid transformation parameter "w-auto": client hints (auto) and arithmetic expressions are not supported by the local server.',
      ],
      ['ar-4', 'Invalid transformation parameter "ar-4": expected ar-<width>-<height>, e.g. ar-4-3.'],
      [
        'e-sharpen',
        'Invalid transformation parameter "e-sharpen": the local server renders only the effect e-grayscale.',
      ],
      [
        'n-my_preset',
        'Invalid transformation parameter "n-my_preset": the only named transformation the local server knows is n-ik_ml_thumbnail.',
      ],
      [
        'grayscale',
        'Unknown transformation parameter "grayscale". The local server renders w, h, ar, c, cm, fo, x, y, xc, yc, q, f, bl, r, bg, dpr, rt, fl, e-grayscale, pr, lo, orig, n-ik_ml_thumbnail.',
      ],
    ]) {
      for (const path of [`/tr:${transformation}/photo.jpg`, `/photo.jpg?tr=${transformation}`]) {
        const response = await get(path)
        expect(response.status, path).toBe(400)
        expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
        expect(await response.json(), path).toEqual({ message })
      }
    }
  })

  it('serves a video unchanged, whatever the transformation', async () => {
    const mp4 = Uint8Array.from(
      Buffer.concat([Buffer.from('\0\0\0\x18ftypisom\0\0\0\0isomiso2', 'latin1'), Buffer.alloc(64, 7)]),
    )
    const { body } = await upload(server, { useUniqueFileName: 'false' }, new Blob([mp4]), 'clip.mp4')
    expect(body.fileType).toBe('non-image')
    const response = await get('/tr:w-100,zz-1/clip.mp4')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('video/mp4')
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(mp4)
  })
})
