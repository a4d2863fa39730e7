import { signDeliveryPath } from '@ik-upload/core/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  makeImage,
  startTestServer,
  stopTestServer,
  storedRecord,
  TEST_PRIVATE_KEY,
  type TestServer,
  upload,
} from './helpers'

// Each upload option's effect on the stored file and on the response (spec sections 2 and 4).

let server: TestServer
let jpeg: Blob

beforeAll(async () => {
  server = await startTestServer()
  jpeg = new Blob([await makeImage(200, 300)], { type: 'image/jpeg' })
})
afterAll(() => stopTestServer(server))

const SUFFIX = '[A-Za-z0-9_-]{9}'
const DEFAULT_KEYS = ['AITags', 'fileId', 'filePath', 'fileType', 'name', 'size', 'url', 'versionInfo']
const IMAGE_KEYS = [...DEFAULT_KEYS, 'height', 'thumbnailUrl', 'width'].sort()

describe('upload options', () => {
  it('returns only the default fields without responseFields', async () => {
    const { status, body } = await upload(server, {}, jpeg, 'photo.jpg')
    expect(status).toBe(200)
    expect(Object.keys(body).sort()).toEqual(IMAGE_KEYS)
  })

  it('fileName: sanitised (letters of any script kept) and suffixed before the last extension', async () => {
    const spaced = await upload(server, {}, jpeg, 'my photo (1).v2.jpg')
    expect(spaced.body.name).toMatch(new RegExp(`^my_photo__1_\\.v2_${SUFFIX}\\.jpg$`))
    const cyrillic = await upload(server, {}, jpeg, 'фото-1.jpg')
    expect(cyrillic.body.name).toMatch(new RegExp(`^фото-1_${SUFFIX}\\.jpg$`))
    const bare = await upload(server, {}, new Blob(['x']), 'README')
    expect(bare.body.name).toMatch(new RegExp(`^README_${SUFFIX}$`))
  })

  it('useUniqueFileName=false: keeps the name as given', async () => {
    const { body } = await upload(server, { useUniqueFileName: 'false' }, jpeg, 'exact.jpg')
    expect(body).toMatchObject({
      name: 'exact.jpg',
      filePath: '/exact.jpg',
      url: `${server.urlEndpoint}/exact.jpg`,
    })
  })

  it('folder: nested, created on demand, empty segments dropped', async () => {
    const { body } = await upload(
      server,
      { folder: '//products///shirts/', useUniqueFileName: 'false' },
      jpeg,
      'a.jpg',
    )
    expect(body.filePath).toBe('/products/shirts/a.jpg')
    expect(body.thumbnailUrl).toBe(`${server.urlEndpoint}/tr:n-ik_ml_thumbnail/products/shirts/a.jpg`)
    expect((await fetch(body.url as string)).status).toBe(200)
  })

  it('tags: stored, trimmed, and returned when asked for', async () => {
    const { body } = await upload(
      server,
      { tags: 't-shirt, round-neck,,sale2019', responseFields: 'tags' },
      jpeg,
    )
    expect(body.tags).toEqual(['t-shirt', 'round-neck', 'sale2019'])
    expect(storedRecord(server, body.filePath as string)?.tags).toEqual(['t-shirt', 'round-neck', 'sale2019'])
  })

  it('responseFields: every optional field, with its empty value, items trimmed', async () => {
    const { body } = await upload(
      server,
      {
        responseFields:
          'tags, customCoordinates,isPrivateFile,embeddedMetadata,isPublished,customMetadata,metadata,selectedFieldsSchema',
      },
      jpeg,
      'all.jpg',
    )
    expect(body).toMatchObject({
      tags: null,
      customCoordinates: null,
      isPrivateFile: false,
      isPublished: true,
      customMetadata: {},
      embeddedMetadata: {},
      selectedFieldsSchema: {},
      metadata: { width: 200, height: 300, size: jpeg.size, format: 'jpg' },
    })
    expect(body).not.toHaveProperty('extensionStatus')
  })

  it('customCoordinates: normalised and stored', async () => {
    const { body } = await upload(
      server,
      { customCoordinates: '10, 10,100 ,100', responseFields: 'customCoordinates' },
      jpeg,
    )
    expect(body.customCoordinates).toBe('10,10,100,100')
    expect(storedRecord(server, body.filePath as string)?.customCoordinates).toBe('10,10,100,100')
  })

  it('customMetadata and description: stored with the file', async () => {
    const { body } = await upload(
      server,
      {
        customMetadata: '{"sku":"A-1","price":12.5}',
        description: 'A red shirt',
        responseFields: 'customMetadata',
      },
      jpeg,
    )
    expect(body.customMetadata).toEqual({ sku: 'A-1', price: 12.5 })
    expect(storedRecord(server, body.filePath as string)).toMatchObject({
      customMetadata: { sku: 'A-1', price: 12.5 },
      description: 'A red shirt',
    })
  })

  it('extensions: reported in extensionStatus (skipped: the local server runs none)', async () => {
    const extensions = '[{"name":"google-auto-tagging","maxTags":5,"minConfidence":95},{"name":"remove-bg"}]'
    const { body } = await upload(server, { extensions }, jpeg)
    expect(body.extensionStatus).toEqual({ 'google-auto-tagging': 'skipped', 'remove-bg': 'skipped' })
    expect(body.AITags).toBeNull()
  })

  it('webhookUrl, transformation and passing checks are accepted', async () => {
    const { status } = await upload(
      server,
      {
        webhookUrl: 'https://hooks.example/ik',
        transformation: '{"pre":"w-100","post":[{"type":"thumbnail","value":"w-50"}]}',
        checks: '"file.size" < "1mb" AND "file.mime" IN ["image/jpeg", "image/png"]',
      },
      jpeg,
    )
    expect(status).toBe(200)
  })

  it('isPrivateFile=true: served only with a valid signed URL, else 401', async () => {
    const { body } = await upload(
      server,
      { isPrivateFile: 'true', responseFields: 'isPrivateFile' },
      jpeg,
      'secret.jpg',
    )
    expect(body.isPrivateFile).toBe(true)
    const url = body.url as string
    const path = (body.filePath as string).slice(1)
    expect((await fetch(url)).status).toBe(401)
    const forever = await signDeliveryPath(TEST_PRIVATE_KEY, path)
    expect((await fetch(`${url}?ik-s=${forever}`)).status).toBe(200)
    const expiresAt = Math.floor(Date.now() / 1000) + 600
    const timed = await signDeliveryPath(TEST_PRIVATE_KEY, path, expiresAt)
    expect((await fetch(`${url}?ik-t=${expiresAt}&ik-s=${timed}`)).status).toBe(200)
    const past = Math.floor(Date.now() / 1000) - 1
    const expired = await signDeliveryPath(TEST_PRIVATE_KEY, path, past)
    expect((await fetch(`${url}?ik-t=${past}&ik-s=${expired}`)).status).toBe(401)
    expect((await fetch(`${url}?ik-t=${expiresAt}&ik-s=${forever}`)).status).toBe(401)
    expect((await fetch(`${url}?ik-s=${'0'.repeat(40)}`)).status).toBe(401)
    // A signature covers the transformation too: a signed thumbnail URL is its own URL.
    const thumbPath = `tr:n-ik_ml_thumbnail/${path}`
    const thumbSignature = await signDeliveryPath(TEST_PRIVATE_KEY, thumbPath)
    const thumbnail = await fetch(`${server.urlEndpoint}/${thumbPath}?ik-s=${thumbSignature}`)
    expect(thumbnail.status).toBe(200)
    expect(thumbnail.headers.get('cache-control')).toBe('private, no-cache')
    expect((await fetch(`${server.urlEndpoint}/${thumbPath}?ik-s=${forever}`)).status).toBe(401)
  })

  it('isPublished=false: not delivered without a signed URL', async () => {
    const { body } = await upload(server, { isPublished: 'false', responseFields: 'isPublished' }, jpeg)
    expect(body.isPublished).toBe(false)
    expect((await fetch(body.url as string)).status).toBe(404)
    const signature = await signDeliveryPath(TEST_PRIVATE_KEY, body.filePath as string)
    expect((await fetch(`${body.url}?ik-s=${signature}`)).status).toBe(200)
  })

  it('PNG and WebP dimensions come from the bytes', async () => {
    const png = await upload(server, {}, new Blob([await makeImage(31, 17, 'png')]), 'a.png')
    expect(png.body).toMatchObject({ width: 31, height: 17, fileType: 'image' })
    const webp = await upload(server, {}, new Blob([await makeImage(64, 48, 'webp')]), 'a.webp')
    expect(webp.body).toMatchObject({ width: 64, height: 48, fileType: 'image' })
  })
})
