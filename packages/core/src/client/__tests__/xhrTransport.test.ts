// @vitest-environment happy-dom
import { delay, HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { UploadError } from '../UploadError'
import { upload } from '../upload'

const AUTH = 'https://app.test/auth'
const UPLOAD = 'https://upload.test/api/v1/files/upload'
const received: FormData[] = []
const SUCCESS = { fileId: 'f1', name: 'a.txt', url: 'https://ik.test/a.txt', filePath: '/a.txt' }

const server = setupServer(
  http.get(AUTH, () =>
    HttpResponse.json({
      token: crypto.randomUUID(),
      expire: Math.floor(Date.now() / 1000) + 600,
      signature: 's',
    }),
  ),
  http.post(UPLOAD, async ({ request }) => {
    received.push(await request.formData())
    return HttpResponse.json(SUCCESS, { headers: { 'x-request-id': 'r1' } })
  }),
)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  server.resetHandlers()
  received.length = 0
})
afterAll(() => server.close())

const config = { publicKey: 'k', authenticationEndpoint: AUTH, uploadEndpoint: UPLOAD }

describe('upload() in a browser-like runtime', () => {
  it('sends through XMLHttpRequest and reports upload progress up to the whole body', async () => {
    expect(typeof XMLHttpRequest).toBe('function')
    const progress: { loaded: number; total: number }[] = []
    const result = await upload(new File(['abc'], 'a.txt'), config, {
      onProgress: ({ loaded, total }) => progress.push({ loaded, total }),
    })
    expect(result).toEqual(SUCCESS)
    expect(await (received[0]?.get('file') as File | undefined)?.text()).toBe('abc')
    const last = progress.at(-1)
    expect(last && last.loaded === last.total && last.total > 0).toBe(true)
  })

  it('aborts an XHR upload in flight with the aborted code', async () => {
    const controller = new AbortController()
    server.use(
      http.post(UPLOAD, () => {
        controller.abort()
        return delay('infinite')
      }),
    )
    const error = await upload(new File(['abc'], 'a.txt'), config, { signal: controller.signal }).catch(
      (e) => e,
    )
    expect(error).toBeInstanceOf(UploadError)
    expect(error.code).toBe('aborted')
  })

  it('gives an XHR network failure the network code', async () => {
    server.use(http.post(UPLOAD, () => HttpResponse.error()))
    const error = await upload(new File(['abc'], 'a.txt'), config).catch((e) => e)
    expect(error).toBeInstanceOf(UploadError)
    expect(error.code).toBe('network')
  })
})
