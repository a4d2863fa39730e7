import { buildSrc, upload } from '@ik-upload/core'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type DeliveryFile, deliveryHandlers } from '../deliveryHandlers'
import { DEV_AUTH_ENDPOINT, DEV_PUBLIC_KEY, DEV_URL_ENDPOINT, uploadHandlers } from '../uploadHandlers'

const UPLOAD = 'https://upload.ikupload.test/api/v1/files/upload'
const png = (text: string): DeliveryFile => ({ bytes: new TextEncoder().encode(text), mime: 'image/png' })

const fixtures = new Map<string, DeliveryFile>([
  ['/samples/cat.png', png('cat bytes')],
  ['/samples/café au lait.png', png('café bytes')],
])
const mock = uploadHandlers({ uploadEndpoint: UPLOAD })
// The fixtures first: a path they lack falls through to the upload mock's delivery.
const server = setupServer(...deliveryHandlers({ files: fixtures }), ...mock.handlers)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  mock.reset()
  server.resetHandlers()
})
afterAll(() => server.close())

const get = (src: string, transformation?: Parameters<typeof buildSrc>[0]['transformation'], path = false) =>
  fetch(
    buildSrc({
      urlEndpoint: DEV_URL_ENDPOINT,
      src,
      transformation,
      transformationPosition: path ? 'path' : 'query',
    }),
  )

describe('deliveryHandlers', () => {
  it('serves a fixture at its path with its content type', async () => {
    const response = await get('/samples/cat.png')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/png')
    expect(await response.text()).toBe('cat bytes')
    expect(response.headers.get('x-ik-transformation')).toBeNull()
  })

  it('serves the bytes unchanged for a query transformation and says what was asked', async () => {
    const response = await get('/samples/cat.png', [{ width: 640, crop: 'at_max' }, { blur: 6 }])
    expect(await response.text()).toBe('cat bytes')
    expect(response.headers.get('x-ik-transformation')).toBe('w-640,c-at_max:bl-6')
  })

  it('serves the bytes unchanged for a path transformation and says what was asked', async () => {
    const response = await get('/samples/cat.png', [{ width: 320 }], true)
    expect(await response.text()).toBe('cat bytes')
    expect(response.headers.get('x-ik-transformation')).toBe('w-320')
  })

  it('finds a path with spaces and unicode, as the URL encodes them', async () => {
    expect(await (await get('/samples/café au lait.png', [{ width: 10 }])).text()).toBe('café bytes')
  })

  it('passes a path it lacks to the next handler: an uploaded file is served by the upload mock', async () => {
    const result = await upload(new File(['uploaded'], 'up.txt', { type: 'text/plain' }), {
      publicKey: DEV_PUBLIC_KEY,
      authenticationEndpoint: DEV_AUTH_ENDPOINT,
      uploadEndpoint: UPLOAD,
    })
    expect(await (await get(result.filePath)).text()).toBe('uploaded')
    expect((await get('/nowhere.png')).status).toBe(404)
  })

  it('serves the upload mock’s files when given its map, including files stored later', async () => {
    server.use(...deliveryHandlers({ urlEndpoint: 'https://cdn.ikupload.test/x', files: mock.files }))
    const stored = { ...png('later'), filePath: '/later.png' } as Parameters<typeof mock.files.set>[1]
    mock.files.set('/later.png', stored)
    const response = await fetch('https://cdn.ikupload.test/x/tr:w-5/later.png')
    expect(await response.text()).toBe('later')
  })

  it('accepts a plain record of files, and answers after its latency', async () => {
    server.use(
      ...deliveryHandlers({
        urlEndpoint: 'https://cdn.ikupload.test',
        files: { '/a.png': png('a') },
        latency: 5,
      }),
    )
    expect(await (await fetch('https://cdn.ikupload.test/a.png?tr=w-1')).text()).toBe('a')
  })
})
