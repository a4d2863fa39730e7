import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeImage, startTestServer, stopTestServer, type TestServer, upload } from './helpers'

// GET <urlEndpoint>/<filePath>: the bytes, resizes and the named thumbnail, caching headers.

let server: TestServer
let jpeg: Uint8Array<ArrayBuffer>
let photo: string

beforeAll(async () => {
  server = await startTestServer()
  jpeg = await makeImage(200, 300)
  await upload(
    server,
    { useUniqueFileName: 'false', folder: 'images/products' },
    new Blob([jpeg]),
    'photo.jpg',
  )
  photo = '/images/products/photo.jpg'
})
afterAll(() => stopTestServer(server))

const sizeOf = async (response: Response) => {
  const { width, height, format } = await sharp(Buffer.from(await response.arrayBuffer())).metadata()
  return { width, height, format }
}

describe('delivery', () => {
  it('serves the stored bytes with their type and caching headers', async () => {
    const response = await fetch(server.urlEndpoint + photo)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/jpeg')
    expect(response.headers.get('content-length')).toBe(String(jpeg.length))
    expect(response.headers.get('cache-control')).toBe('public, no-cache')
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{24}"$/)
    expect(response.headers.get('last-modified')).toBeTruthy()
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(jpeg)
  })

  it('answers 304 to a matching If-None-Match', async () => {
    const etag = (await fetch(server.urlEndpoint + photo)).headers.get('etag') as string
    const response = await fetch(server.urlEndpoint + photo, { headers: { 'if-none-match': etag } })
    expect(response.status).toBe(304)
  })

  it('resizes with tr: in the path', async () => {
    const response = await fetch(`${server.urlEndpoint}/tr:w-100${photo}`)
    expect(response.headers.get('content-type')).toBe('image/jpeg')
    expect(await sizeOf(response)).toEqual({ width: 100, height: 150, format: 'jpeg' })
  })

  it('resizes with ?tr= in the query, cropping to fill both sides', async () => {
    const response = await fetch(`${server.urlEndpoint}${photo}?tr=w-50,h-50`)
    expect(await sizeOf(response)).toEqual({ width: 50, height: 50, format: 'jpeg' })
  })

  it('takes a fraction for a relative size', async () => {
    expect(await sizeOf(await fetch(`${server.urlEndpoint}/tr:h-0.5${photo}`))).toMatchObject({
      width: 100,
      height: 150,
    })
  })

  it('renders the named thumbnail of thumbnailUrl', async () => {
    const response = await fetch(`${server.urlEndpoint}/tr:n-ik_ml_thumbnail${photo}`)
    expect(response.status).toBe(200)
    const size = await sizeOf(response)
    expect(Math.max(size.width ?? 0, size.height ?? 0)).toBe(200)
    // A rendering's ETag is the version id plus a hash of its transformation.
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{24}-[0-9a-f]{16}"$/)
  })

  it('refuses a malformed transformation with 400', async () => {
    expect((await fetch(`${server.urlEndpoint}/tr:w-abc${photo}`)).status).toBe(400)
    expect((await fetch(`${server.urlEndpoint}/tr:n-unknown${photo}`)).status).toBe(400)
  })

  it('serves a byte range', async () => {
    const response = await fetch(server.urlEndpoint + photo, { headers: { range: 'bytes=0-9' } })
    expect(response.status).toBe(206)
    expect(response.headers.get('content-range')).toBe(`bytes 0-9/${jpeg.length}`)
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(jpeg.subarray(0, 10))
  })

  it('answers HEAD with headers only', async () => {
    const response = await fetch(server.urlEndpoint + photo, { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-length')).toBe(String(jpeg.length))
  })

  it('answers 404 for a path with no file, and a percent-encoded path finds its file', async () => {
    expect((await fetch(`${server.urlEndpoint}/images/nothing.jpg`)).status).toBe(404)
    const { body } = await upload(server, { useUniqueFileName: 'false' }, new Blob(['x']), 'naïve.txt')
    expect((await fetch(body.url as string)).status).toBe(200)
    expect((await fetch(`${server.urlEndpoint}/%E0%A4%A`)).status).toBe(404)
  })

  it('serves non-images as they are, transformation or not', async () => {
    const { body } = await upload(server, { useUniqueFileName: 'false' }, new Blob(['hello']), 'note.txt')
    const response = await fetch(`${server.urlEndpoint}/tr:w-10/note.txt`)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('hello')
    expect(body.fileType).toBe('non-image')
  })

  it('answers CORS preflights anywhere', async () => {
    const response = await fetch(server.uploadEndpoint, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://app.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-custom',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-allow-methods')).toContain('POST')
    expect(response.headers.get('access-control-allow-headers')).toBe('x-custom')
  })

  it('serves the auth endpoint with fresh parameters', async () => {
    const response = await fetch(server.authEndpoint)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.json()).toEqual({
      token: expect.any(String),
      expire: expect.any(Number),
      signature: expect.stringMatching(/^[0-9a-f]{40}$/),
    })
  })
})
