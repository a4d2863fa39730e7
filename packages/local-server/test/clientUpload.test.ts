import { fetchTransport, UploadError, upload } from '@ik-upload/core'
import { FILE_TOO_LARGE } from '@ik-upload/core/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeImage, startOrigin, startTestServer, stopTestServer, type TestServer } from './helpers'

// The kit's own client (fetch transport, as in Node) against the real server: every source kind.

let server: TestServer
let origin: Awaited<ReturnType<typeof startOrigin>>
let jpeg: Uint8Array<ArrayBuffer>

beforeAll(async () => {
  jpeg = await makeImage(200, 300)
  server = await startTestServer({ allowPrivateUrls: true })
  origin = await startOrigin((req, res) => {
    if (req.url === '/photos/remote.jpg') {
      res.setHeader('Content-Type', 'image/jpeg')
      res.end(jpeg)
    } else {
      res.statusCode = 404
      res.end()
    }
  })
})
afterAll(async () => {
  await stopTestServer(server)
  await origin.close()
})

const config = () => ({
  publicKey: server.publicKey,
  uploadEndpoint: server.uploadEndpoint,
  authenticationEndpoint: server.authEndpoint,
  transport: fetchTransport,
})

/** The stored bytes, fetched back through delivery. */
const delivered = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer())

describe('the core client uploads to the local server', () => {
  it('a File, with its name, size, dimensions and thumbnail', async () => {
    const result = await upload(new File([jpeg], 'photo.jpg', { type: 'image/jpeg' }), config())
    expect(result).toMatchObject({
      name: expect.stringMatching(/^photo_[A-Za-z0-9_-]{9}\.jpg$/),
      size: jpeg.length,
      fileType: 'image',
      width: 200,
      height: 300,
      AITags: null,
    })
    expect(result.fileId).toMatch(/^[0-9a-f]{24}$/)
    expect(result.versionInfo).toEqual({ id: result.fileId, name: 'Version 1' })
    expect(result.url).toBe(`${server.urlEndpoint}${result.filePath}`)
    expect(result.thumbnailUrl).toBe(`${server.urlEndpoint}/tr:n-ik_ml_thumbnail${result.filePath}`)
    expect(await delivered(result.url)).toEqual(jpeg)
  })

  it('plain base64 text', async () => {
    const result = await upload(Buffer.from(jpeg).toString('base64'), { ...config(), fileName: 'b64.jpg' })
    expect(result).toMatchObject({ size: jpeg.length, width: 200, height: 300, fileType: 'image' })
    expect(await delivered(result.url)).toEqual(jpeg)
  })

  it('a data URI', async () => {
    const dataUri = `data:image/jpeg;base64,${Buffer.from(jpeg).toString('base64')}`
    const result = await upload(dataUri, { ...config(), fileName: 'datauri.jpg' })
    expect(result).toMatchObject({ size: jpeg.length, width: 200, height: 300 })
    expect(await delivered(result.url)).toEqual(jpeg)
  })

  it('a URL the server downloads', async () => {
    const result = await upload(`${origin.url}/photos/remote.jpg`, config())
    expect(result).toMatchObject({
      name: expect.stringMatching(/^remote_[A-Za-z0-9_-]{9}\.jpg$/),
      size: jpeg.length,
      width: 200,
      height: 300,
    })
    expect(await delivered(result.url)).toEqual(jpeg)
  })

  it('a non-image, typed from its bytes, without dimensions or thumbnail', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4\n% test\n')
    const result = await upload(new File([pdf], 'doc.pdf'), config())
    expect(result.fileType).toBe('non-image')
    expect(result).not.toHaveProperty('width')
    expect(result).not.toHaveProperty('thumbnailUrl')
    const response = await fetch(result.url)
    expect(response.headers.get('content-type')).toBe('application/pdf')
  })

  it("surfaces the server's exact refusal as an UploadError", async () => {
    const tiny = await startTestServer({ maxFileSize: 10 })
    try {
      // maxFileSize above the server's: the client lets it through, the server refuses it.
      const error = await upload(new File([jpeg], 'big.jpg'), {
        ...config(),
        uploadEndpoint: tiny.uploadEndpoint,
        authenticationEndpoint: tiny.authEndpoint,
        publicKey: tiny.publicKey,
      }).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(UploadError)
      expect(error).toMatchObject({ code: 'server', status: 400, message: FILE_TOO_LARGE })
    } finally {
      await stopTestServer(tiny)
    }
  })
})
