import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DeliveryOptions, RenderEvent } from '../src/ImageRenderer'
import type { LocalServer } from '../src/index'
import { makeImage, startTestServer, stopTestServer, type TestServer, tempDataDir, upload } from './helpers'
import { eventually, type ServerProcess, spawnServer } from './hostile/support'

// Issue 9, defect 3: delivery renders were a denial of service. One 233-byte SVG declared
// 4000×4000 with heavy filters, asked for at tr:w-5000, cost 95 s, 105 CPU-seconds and 1.1 GB of
// RSS; every distinct width rendered again into an unbounded cache; identical concurrent renders
// were not shared; an image too large to resize was served whole as its own thumbnail. And
// (defect 11) a render's temp file survived a kill of the server.

/** The attack's SVG: 233 bytes, 4000×4000, turbulence and a wide blur over all of it. */
const HEAVY_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="4000"><filter id="f"><feTurbulence ' +
  'baseFrequency=".9" numOctaves="20"/><feGaussianBlur stdDeviation="80"/></filter><rect width="100%" ' +
  'height="100%" filter="url(#f)"/></svg>'

const MB = 1024 * 1024

/** A PNG whose header declares `width` × `height` and holds next to no pixels: a decompression bomb's shape. */
function pngHeader(width: number, height: number): Uint8Array<ArrayBuffer> {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const pixels = chunk('IDAT', deflateSync(Buffer.alloc(64)))
  return Uint8Array.from(
    Buffer.concat([signature, chunk('IHDR', header), pixels, chunk('IEND', Buffer.alloc(0))]),
  )
}

/** A server whose render events are recorded. */
async function startRecordingServer(
  delivery: Omit<DeliveryOptions, 'onRender'> = {},
): Promise<{ server: TestServer; events: RenderEvent[]; started: (count: number) => Promise<void> }> {
  const events: RenderEvent[] = []
  const waiters: { count: number; resolve: () => void }[] = []
  const server = await startTestServer({
    delivery: {
      ...delivery,
      onRender: (event) => {
        events.push(event)
        const starts = events.filter((each) => each.phase === 'start').length
        for (const waiter of waiters.filter((each) => each.count <= starts)) {
          waiters.splice(waiters.indexOf(waiter), 1)
          waiter.resolve()
        }
      },
    },
  })
  const started = (count: number) =>
    new Promise<void>((resolve) => {
      if (events.filter((each) => each.phase === 'start').length >= count) resolve()
      else waiters.push({ count, resolve })
    })
  return { server, events, started }
}

const renders = (events: RenderEvent[]) => events.filter((event) => event.phase === 'start').length

/** Total bytes of the renderings in a server's cache folder (temp files included). */
function cacheBytes(server: LocalServer): number {
  const dir = join(server.dataDir, 'cache')
  return readdirSync(dir).reduce((total, name) => total + statSync(join(dir, name)).size, 0)
}

describe('delivery limits (issue 9, defect 3)', () => {
  let server: TestServer
  let events: RenderEvent[]

  beforeAll(async () => {
    ;({ server, events } = await startRecordingServer())
    await upload(server, { useUniqueFileName: 'false' }, new Blob([HEAVY_SVG]), 'heavy.svg')
    await upload(server, { useUniqueFileName: 'false' }, new Blob([await makeImage(300, 200)]), 'photo.jpg')
    await upload(server, { useUniqueFileName: 'false' }, new Blob([pngHeader(100_000, 100_000)]), 'bomb.png')
  })
  afterAll(() => stopTestServer(server))

  it('stops the 233-byte heavy-filter SVG at tr:w-5000 within 2 CPU-seconds and 256 MB', async () => {
    expect(HEAVY_SVG.length).toBe(233)
    const cpuBefore = process.cpuUsage()
    const rssBefore = process.memoryUsage.rss()
    const response = await fetch(`${server.urlEndpoint}/tr:w-5000/heavy.svg`)
    const body = await response.json()
    const cpu = process.cpuUsage(cpuBefore)
    const serverCpuMs = (cpu.user + cpu.system) / 1000
    const rssGrowth = process.memoryUsage.rss() - rssBefore

    expect(response.status).toBe(422)
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(body.message).toMatch(/^Rendering this image needed more than (1\.5 CPU-seconds|256 MB of memory)/)
    const end = events.find(
      (event) => event.phase === 'end' && event.filePath === '/heavy.svg',
    ) as RenderEvent
    // The render worker stopped itself at its budget (1.5 CPU-seconds or 256 MB, whichever came
    // first); the server's own process did next to nothing. Bounds are generous, not speed-bound.
    expect(end.cpuMs).toBeLessThan(2000)
    expect((end.peakRssBytes ?? 0) - (end.startRssBytes ?? 0)).toBeLessThan(256 * MB + 32 * MB)
    expect(serverCpuMs).toBeLessThan(2000)
    expect(rssGrowth).toBeLessThan(256 * MB)
  })

  it('remembers a render that failed, so asking again costs no render', async () => {
    const before = renders(events)
    const response = await fetch(`${server.urlEndpoint}/tr:w-5000/heavy.svg`)
    expect(response.status).toBe(422)
    expect(renders(events)).toBe(before)
  })

  it('still renders the same SVG small, rasterised at the size asked for', async () => {
    const response = await fetch(`${server.urlEndpoint}/tr:w-100/heavy.svg`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/png')
    const { width, height } = await sharp(Buffer.from(await response.arrayBuffer())).metadata()
    expect([width, height]).toEqual([100, 100])
  })

  it('never serves an image too large to transform as its thumbnail or resize', async () => {
    for (const transformation of ['n-ik_ml_thumbnail', 'w-100']) {
      const response = await fetch(`${server.urlEndpoint}/tr:${transformation}/bomb.png`)
      expect(response.status).toBe(422)
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect((await response.json()).message).toBe(
        'This image is 100000 × 100000 pixels (10000 MP); the local server transforms images of at most 50 MP (the maxInputPixels option).',
      )
    }
    // The stored bytes themselves are still there for whoever asks for them.
    expect((await fetch(`${server.urlEndpoint}/bomb.png`)).status).toBe(200)
  })

  it('never serves an image it cannot decode as its own thumbnail', async () => {
    // JPEG's magic bytes, then nothing a decoder can use: stored as an image, rendered as none.
    const broken = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('not really a JPEG at all')])
    const { body } = await upload(server, { useUniqueFileName: 'false' }, new Blob([broken]), 'broken.jpg')
    expect(body.fileType).toBe('image')
    const response = await fetch(`${server.urlEndpoint}/tr:n-ik_ml_thumbnail/broken.jpg`)
    expect(response.status).toBe(422)
    expect((await response.json()).message).toMatch(
      /^This (file|image) could not be (read as an image|rendered)/,
    )
  })

  it('refuses output dimensions past 5000 pixels with a 400 naming the limit', async () => {
    const response = await fetch(`${server.urlEndpoint}/tr:w-5001/photo.jpg`)
    expect(response.status).toBe(400)
    expect((await response.json()).message).toBe(
      'Invalid transformation parameter "w-5001": expected a whole number of pixels from 1 to 5000, or a fraction between 0 and 1.',
    )
    // A size that follows from the image (one side given) is judged once the image is known.
    const tall = await fetch(`${server.urlEndpoint}/tr:h-5000/photo.jpg`)
    expect(tall.status).toBe(400)
    expect((await tall.json()).message).toBe(
      'The transformation asks for an image of 7500 × 5000 pixels; the local server renders at most 5000 pixels a side.',
    )
  })

  it('renders ten concurrent identical requests once', async () => {
    const before = renders(events)
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => fetch(`${server.urlEndpoint}/tr:w-123,bl-3/photo.jpg`)),
    )
    const bodies = await Promise.all(answers.map(async (answer) => Buffer.from(await answer.arrayBuffer())))
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200))
    expect(new Set(bodies.map((body) => body.toString('base64'))).size).toBe(1)
    expect(renders(events) - before).toBe(1)
    // And an eleventh, later, comes from the cache.
    expect((await fetch(`${server.urlEndpoint}/tr:w-123,bl-3/photo.jpg`)).status).toBe(200)
    expect(renders(events) - before).toBe(1)
  })
})

describe('measuring an uploaded SVG (issue 9, defect 3)', () => {
  it('does not lay out a 23 MB SVG without a size in the server process', { timeout: 60_000 }, async () => {
    // No width, height or viewBox: librsvg finds its size by laying out 400,000 rectangles, which
    // took 2.7 CPU-seconds and 1 GB in the server process at upload.
    const parts = ['<svg xmlns="http://www.w3.org/2000/svg">']
    for (let index = 0; index < 400_000; index++)
      parts.push(
        `<rect x="${index % 1000}" y="${index % 777}" width="10" height="10" fill="#${(index % 4096).toString(16).padStart(3, '0')}"/>`,
      )
    parts.push('</svg>')
    const svg = new Blob([parts.join('')])
    expect(svg.size).toBeGreaterThan(20 * MB)
    const { server, events } = await startRecordingServer()
    try {
      const cpuBefore = process.cpuUsage()
      const rssBefore = process.memoryUsage.rss()
      const { status, body } = await upload(server, { useUniqueFileName: 'false' }, svg, 'rects.svg')
      const cpu = process.cpuUsage(cpuBefore)
      expect(process.memoryUsage.rss() - rssBefore).toBeLessThan(256 * MB)
      expect((cpu.user + cpu.system) / 1000).toBeLessThan(2000)
      expect(status).toBe(200)
      // Stored without a size: measuring it would mean laying it out.
      expect(body).toMatchObject({ fileType: 'image' })
      expect(body.width).toBeUndefined()
      // Its thumbnail is rendered by a worker, held to the render budget.
      const thumbnail = await fetch(`${server.urlEndpoint}/tr:n-ik_ml_thumbnail/rects.svg`)
      expect([200, 422]).toContain(thumbnail.status)
      const end = events.find((event) => event.phase === 'end') as RenderEvent
      expect(end.cpuMs).toBeLessThan(2000)
    } finally {
      await stopTestServer(server)
    }
  })
})

describe('the render cache (issue 9, defect 3)', () => {
  it('keeps 20 distinct widths within its byte bound, least recently used out first', async () => {
    const bound = 150 * 1024
    const { server, events } = await startRecordingServer({ renderCacheBytes: bound })
    try {
      // Noise does not compress: every rendering is tens of kilobytes.
      const noisy = await sharp({
        create: {
          width: 600,
          height: 400,
          channels: 3,
          background: '#000',
          noise: { type: 'gaussian', mean: 128, sigma: 40 },
        },
      })
        .png()
        .toBuffer()
      await upload(server, { useUniqueFileName: 'false' }, new Blob([Uint8Array.from(noisy)]), 'noise.png')
      let largest = 0
      for (let width = 200; width < 220; width++) {
        const response = await fetch(`${server.urlEndpoint}/tr:w-${width}/noise.png`)
        expect(response.status).toBe(200)
        largest = Math.max(largest, (await response.arrayBuffer()).byteLength)
        // Only what is being sent may stand past the bound, for as long as it is sent.
        expect(cacheBytes(server)).toBeLessThanOrEqual(bound + largest)
      }
      expect(largest).toBeGreaterThan(20 * 1024)
      expect(await eventually(() => cacheBytes(server) <= bound)).toBe(true)
      expect(renders(events)).toBe(20)
      // The most recent is still cached; the first was evicted and renders again.
      await fetch(`${server.urlEndpoint}/tr:w-219/noise.png`)
      expect(renders(events)).toBe(20)
      await fetch(`${server.urlEndpoint}/tr:w-200/noise.png`)
      expect(renders(events)).toBe(21)
    } finally {
      await stopTestServer(server)
    }
  })
})

describe('render concurrency (issue 9, defect 3)', () => {
  it('answers 503 with Retry-After once the workers are busy and the queue is full', async () => {
    const { server, events, started } = await startRecordingServer({
      maxConcurrentRenders: 1,
      maxQueuedRenders: 1,
    })
    try {
      await upload(server, { useUniqueFileName: 'false' }, new Blob([HEAVY_SVG]), 'heavy.svg')
      await upload(server, { useUniqueFileName: 'false' }, new Blob([await makeImage(300, 200)]), 'photo.jpg')
      // The heavy render holds the one worker until it has burnt its CPU budget (≥ 1.5 CPU-seconds).
      const heavy = fetch(`${server.urlEndpoint}/tr:w-5000/heavy.svg`)
      await started(1)
      const queued = fetch(`${server.urlEndpoint}/tr:w-50/photo.jpg`)
      await started(2)
      const refused = await fetch(`${server.urlEndpoint}/tr:w-60/photo.jpg`)
      expect(refused.status).toBe(503)
      expect(refused.headers.get('retry-after')).toBe('1')
      expect(refused.headers.get('cache-control')).toBe('no-store')
      expect((await refused.json()).message).toBe(
        'The local server is rendering as many images as it allows; ask again shortly.',
      )
      expect((await heavy).status).toBe(422)
      expect((await queued).status).toBe(200)
      // Refused is not remembered: once a worker is free, the same URL renders.
      expect((await fetch(`${server.urlEndpoint}/tr:w-60/photo.jpg`)).status).toBe(200)
      // The refused request was no render.
      expect(renders(events)).toBe(3)
    } finally {
      await stopTestServer(server)
    }
  })
})

describe('render temp files (issue 9, defect 11)', () => {
  const dataDir = tempDataDir()
  const spawned: ServerProcess[] = []
  // Even when the test fails or times out, no server process outlives it.
  afterAll(async () => {
    for (const server of spawned) server.child.kill('SIGKILL')
    await Promise.all(spawned.map((server) => server.exited))
    rmSync(dataDir, { recursive: true, force: true })
  })
  const start = async () => {
    const server = await spawnServer(dataDir)
    spawned.push(server)
    return server
  }

  it('removes the temp file of a render cut by kill -9 when the server starts again', {
    timeout: 60_000,
  }, async () => {
    const first = await start()
    const endpoint = { uploadEndpoint: first.uploadEndpoint } as LocalServer
    // A large noisy image, blurred: its PNG is written strip by strip for most of a second.
    const big = await sharp({
      create: {
        width: 5000,
        height: 5000,
        channels: 3,
        background: '#000',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .jpeg({ quality: 50 })
      .toBuffer()
    const uploaded = await upload(
      endpoint,
      { useUniqueFileName: 'false' },
      new Blob([Uint8Array.from(big)]),
      'big.jpg',
    )
    expect(uploaded.status).toBe(200)
    const cacheDir = join(dataDir, 'cache')
    const temps = () =>
      existsSync(cacheDir) ? readdirSync(cacheDir).filter((name) => name.endsWith('.tmp')) : []
    const rendering = fetch(`${first.url}/ik/tr:w-5000,bl-60,f-png/big.jpg`).catch(() => undefined)
    expect(await eventually(() => temps().length > 0)).toBe(true)
    first.child.kill('SIGKILL')
    expect(await first.exited).toBe('SIGKILL')
    await rendering
    expect(temps().length).toBeGreaterThan(0)

    await start()
    expect(temps()).toEqual([])
  })
})
