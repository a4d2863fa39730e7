import { delay, HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Transport } from '../transport'
import { UploadError } from '../UploadError'
import { upload } from '../upload'

const AUTH = 'https://app.test/auth'
const UPLOAD = 'https://upload.test/api/v1/files/upload'
const HELP = 'For support kindly contact us at support@imagekit.io .'

let tokenCounter = 0
const authCalls: Request[] = []
const uploads: FormData[] = []

const server = setupServer(
  http.get(AUTH, ({ request }) => {
    authCalls.push(request)
    tokenCounter += 1
    return HttpResponse.json({
      token: `token-${tokenCounter}`,
      expire: Math.floor(Date.now() / 1000) + 600,
      signature: `sig-${tokenCounter}`,
    })
  }),
  http.post(UPLOAD, async ({ request }) => {
    const form = await request.formData()
    uploads.push(form)
    const file = form.get('file')
    return HttpResponse.json({
      fileId: '598821f949c0a938d57563bd',
      name: form.get('fileName'),
      size: typeof file === 'string' ? file.length : (file?.size ?? 0),
      versionInfo: { id: '598821f949c0a938d57563bd', name: 'Version 1' },
      filePath: `/${form.get('fileName')}`,
      url: `https://ik.test/${form.get('fileName')}`,
      fileType: 'non-image',
      AITags: null,
    })
  }),
)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  vi.useRealTimers()
  server.resetHandlers()
  authCalls.length = 0
  uploads.length = 0
})
afterAll(() => server.close())

const config = { publicKey: 'public_test_key', authenticationEndpoint: AUTH, uploadEndpoint: UPLOAD }
/** The fields a success must carry (spec section 4), and a whole success response around them. */
const SUCCESS_FIELDS = {
  fileId: '598821f949c0a938d57563bd',
  name: 'a.jpg',
  url: 'https://ik.test/a.jpg',
  filePath: '/a.jpg',
}
const SUCCESS = {
  ...SUCCESS_FIELDS,
  size: 11,
  versionInfo: { id: '598821f949c0a938d57563bd', name: 'Version 1' },
  fileType: 'non-image',
  AITags: null,
}
const photo = () => new File(['hello world'], 'photo.jpg', { type: 'image/jpeg' })

/** Resolves when msw sees a request for `url` (before any handler answers it). */
function waitFor(url: string, method: string): Promise<void> {
  return new Promise((resolve) => {
    const seen = ({ request }: { request: Request }) => {
      if (request.url === url && request.method === method) {
        server.events.removeListener('request:start', seen)
        resolve()
      }
    }
    server.events.on('request:start', seen)
  })
}

/** A promise and whether it has settled yet (without touching its outcome). */
function settled<T>(promise: Promise<T>): { promise: Promise<T>; done: boolean } {
  const state = { promise, done: false }
  promise.then(
    () => {
      state.done = true
    },
    () => {
      state.done = true
    },
  )
  return state
}

async function rejection(promise: Promise<unknown>): Promise<UploadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(UploadError)
  return error as UploadError
}

describe('upload()', () => {
  it('sends the file, the auth fields and the encoded options, and resolves with the response', async () => {
    const result = await upload(photo(), {
      ...config,
      tags: ['a', 'b'],
      useUniqueFileName: false,
      responseFields: ['tags', 'isPrivateFile'],
      customMetadata: { brand: 'x' },
      folder: '/products',
    })
    expect(result.name).toBe('photo.jpg')
    const form = uploads[0] as FormData
    expect(Object.fromEntries([...form.entries()].filter(([name]) => name !== 'file'))).toEqual({
      fileName: 'photo.jpg',
      useUniqueFileName: 'false',
      tags: 'a,b',
      folder: '/products',
      responseFields: 'tags,isPrivateFile',
      customMetadata: '{"brand":"x"}',
      publicKey: 'public_test_key',
      signature: 'sig-1',
      expire: expect.stringMatching(/^\d+$/),
      token: 'token-1',
    })
    const file = form.get('file') as File
    expect(file.name).toBe('photo.jpg')
    expect(await file.text()).toBe('hello world')
  })

  it('sends the file as the last part, so a streaming server can judge the fields first', async () => {
    await upload(photo(), config)
    expect([...(uploads[0] as FormData).keys()].at(-1)).toBe('file')
  })

  it('uses the fileName option over the file name', async () => {
    await upload(photo(), { ...config, fileName: 'other.png' })
    expect(uploads[0]?.get('fileName')).toBe('other.png')
    expect((uploads[0]?.get('file') as File | undefined)?.name).toBe('other.png')
  })

  it('does not send options left undefined', async () => {
    await upload(photo(), { ...config, tags: undefined, isPrivateFile: undefined })
    expect(uploads[0]?.has('tags')).toBe(false)
    expect(uploads[0]?.has('isPrivateFile')).toBe(false)
  })

  it.each([
    ['plain base64', 'aGVsbG8gd29ybGQ='],
    ['a data URI', 'data:text/plain;base64,aGVsbG8gd29ybGQ='],
    ['an http(s) URL', 'https://example.test/images/cat.jpg'],
  ])('sends %s as a text part', async (_kind, source) => {
    await upload(source, { ...config, fileName: 'x.txt' })
    expect(uploads[0]?.get('file')).toBe(source)
  })

  it('names a URL upload after the last path segment by default', async () => {
    await upload('https://example.test/images/cat.jpg?w=1', config)
    expect(uploads[0]?.get('fileName')).toBe('cat.jpg')
  })

  it('fetches a new token for every call, with cache: "no-store"', async () => {
    await upload(photo(), config)
    await upload(photo(), config)
    expect(new Set(uploads.map((form) => form.get('token'))).size).toBe(2)
    expect(authCalls).toHaveLength(2)
    expect(authCalls.every((request) => request.cache === 'no-store')).toBe(true)
  })

  it('sends authenticationRequest headers, given as an object or a function', async () => {
    await upload(photo(), { ...config, authenticationRequest: { headers: { 'x-app': 'one' } } })
    await upload(photo(), { ...config, authenticationRequest: async () => ({ headers: { 'x-app': 'two' } }) })
    expect(authCalls.map((request) => request.headers.get('x-app'))).toEqual(['one', 'two'])
  })

  it('uses authenticator() instead of the endpoint when given', async () => {
    const expire = Math.floor(Date.now() / 1000) + 60
    await upload(photo(), {
      publicKey: 'public_test_key',
      uploadEndpoint: UPLOAD,
      authenticator: async () => ({ token: 'own-token', expire, signature: 'own-sig' }),
    })
    expect(authCalls).toHaveLength(0)
    expect(uploads[0]?.get('token')).toBe('own-token')
    expect(uploads[0]?.get('expire')).toBe(String(expire))
  })
})

describe('upload() refuses a missing key or name and an over-limit file locally, before any request', () => {
  it.each([
    [
      'an over-limit file',
      { maxFileSize: 5 },
      'Your request contains invalid file parameter. The file size exceeds limits.',
      'file',
    ],
    ['no publicKey', { publicKey: '' }, 'Your request is missing publicKey parameter.', 'publicKey'],
  ])('%s', async (_name, options, message, field) => {
    const error = await rejection(upload(photo(), { ...config, ...options }))
    expect(error.code).toBe('validation')
    expect(error.message).toBe(message)
    expect(error.field).toBe(field)
    expect(authCalls).toHaveLength(0)
    expect(uploads).toHaveLength(0)
  })

  it('refuses a Blob without a fileName and a missing publicKey before its size', async () => {
    const error = await rejection(upload(new Blob(['x']), { ...config, maxFileSize: 0 }))
    expect(error).toMatchObject({ code: 'validation', field: 'fileName' })
  })

  // The queue (createUploader) checks tags, folder, customCoordinates and responseFields before
  // any request; upload() stays small and leaves them to the server, which answers the same message.
  it('sends option values as they are, for the server to judge', async () => {
    await upload(photo(), { ...config, tags: ['50%'], folder: 'my folder' })
    expect(uploads[0]?.get('tags')).toBe('50%')
    expect(uploads[0]?.get('folder')).toBe('my folder')
  })

  it('treats timeout and authTimeout of Infinity as no timeout, not a raw RangeError (review bug)', async () => {
    await expect(
      upload(photo(), { ...config, authTimeout: Infinity }, { timeout: Infinity }),
    ).resolves.toMatchObject({
      name: 'photo.jpg',
    })
  })

  it('refuses a 25 MB + 1 byte file by default', async () => {
    const big = new File([new Uint8Array(26_214_401)], 'big.bin')
    const error = await rejection(upload(big, config))
    expect(error.message).toBe('Your request contains invalid file parameter. The file size exceeds limits.')
  })

  it('refuses a Blob without a fileName', async () => {
    const error = await rejection(upload(new Blob(['x']), config))
    expect(error.message).toBe('Your request is missing fileName parameter.')
  })

  it.each([
    ['a number', 42],
    ['null', null],
    ['text that is neither base64 nor a URL', 'not base64!'],
    ['an empty string', ''],
  ])('refuses %s as file with a clear UploadError, not a TypeError', async (_name, source) => {
    const error = await rejection(upload(source as never, { ...config, fileName: 'a.txt' }))
    expect(error.code).toBe('validation')
    expect(error.message).toMatch(/file must be a File, a Blob, base64 text, a data URI or an http\(s\) URL/)
  })
})

describe('upload() auth errors name the endpoint and what was wrong', () => {
  it('when the endpoint is down (a network failure, so the uploader retries it)', async () => {
    server.use(http.get(AUTH, () => HttpResponse.error()))
    const error = await rejection(upload(photo(), config))
    expect(error.code).toBe('network')
    // Says what failed and what to try, with no raw URL (issue 13): the app knows its endpoint.
    expect(error.message).toBe(
      'The authentication endpoint failed: no answer from the server. Check the connection and try again.',
    )
    expect(uploads).toHaveLength(0)
  })

  it('when it answers an HTML 404 page', async () => {
    server.use(http.get(AUTH, () => HttpResponse.html('<!DOCTYPE html><h1>Not found</h1>', { status: 404 })))
    const error = await rejection(upload(photo(), config))
    expect(error.code).toBe('auth')
    expect(error.message).toBe(
      `The authentication endpoint answered HTTP 404, not the expected JSON: "<!DOCTYPE html><h1>Not found</h1>".`,
    )
  })

  it('keeps the status of a 503 from the endpoint, so the uploader retries it', async () => {
    server.use(http.get(AUTH, () => HttpResponse.text('busy', { status: 503 })))
    const error = await rejection(upload(photo(), config))
    expect(error).toMatchObject({ code: 'auth', status: 503 })
  })

  it('when it answers HTML with status 200', async () => {
    server.use(http.get(AUTH, () => HttpResponse.html('<!DOCTYPE html><p>login</p>')))
    const error = await rejection(upload(photo(), config))
    expect(error.message).toBe(
      `The authentication endpoint answered HTTP 200, not the expected JSON: "<!DOCTYPE html><p>login</p>".`,
    )
  })

  it.each([
    ['token', { expire: 9999999999, signature: 's' }],
    ['signature', { token: 't', expire: 9999999999 }],
    ['expire', { token: 't', signature: 's' }],
  ])('when the reply has no %s', async (missing, reply) => {
    server.use(http.get(AUTH, () => HttpResponse.json(reply)))
    const error = await rejection(upload(photo(), config))
    expect(error.message).toBe(`The authentication endpoint returned no "${missing}".`)
  })

  it('when expire is in the past', async () => {
    server.use(http.get(AUTH, () => HttpResponse.json({ token: 't', signature: 's', expire: 1582269249 })))
    const error = await rejection(upload(photo(), config))
    expect(error.message).toBe(`The authentication endpoint returned an "expire" (1582269249) in the past.`)
  })

  it('when authenticator() throws', async () => {
    const error = await rejection(
      upload(photo(), {
        publicKey: 'k',
        uploadEndpoint: UPLOAD,
        authenticator: () => {
          throw new Error('session expired')
        },
      }),
    )
    expect(error.code).toBe('auth')
    expect(error.message).toBe('authenticator() failed: session expired')
  })

  it('when neither an endpoint nor an authenticator is set', async () => {
    const error = await rejection(upload(photo(), { publicKey: 'k', uploadEndpoint: UPLOAD }))
    expect(error.code).toBe('auth')
    expect(error.message).toBe('Set authenticationEndpoint or authenticator.')
  })

  // Fake timers, so no wall clock decides it (it once timed out at 5 s in a full run: issue 9, defect 5).
  it('when the endpoint does not answer within authTimeout (10 s by default)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    server.use(http.get(AUTH, () => delay('infinite')))
    const asked = waitFor(AUTH, 'GET')
    const pending = settled(upload(photo(), config))
    await asked
    await vi.advanceTimersByTimeAsync(9_999)
    expect(pending.done).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    const error = await rejection(pending.promise)
    expect(error.code).toBe('timeout')
    expect(error.message).toBe(`The authentication endpoint timed out.`)
  })
})

describe('upload() server and network errors', () => {
  it('gives a 4xx with the spec body as the server message and help', async () => {
    server.use(
      http.post(UPLOAD, () =>
        HttpResponse.json(
          { message: 'Your request contains invalid signature parameter.', help: HELP },
          { status: 400 },
        ),
      ),
    )
    const error = await rejection(upload(photo(), config))
    expect(error).toMatchObject({
      code: 'server',
      status: 400,
      message: 'Your request contains invalid signature parameter.',
      help: HELP,
    })
  })

  it('describes a 5xx with a non-JSON body instead of throwing a SyntaxError', async () => {
    server.use(http.post(UPLOAD, () => HttpResponse.html('<h1>Bad gateway</h1>', { status: 502 })))
    const error = await rejection(upload(photo(), config))
    expect(error).toMatchObject({ code: 'server', status: 502 })
    expect(error.message).toBe(
      'The upload server answered HTTP 502, not the expected JSON: "<h1>Bad gateway</h1>".',
    )
  })

  it('treats a 200 with a non-JSON body as a server error', async () => {
    server.use(http.post(UPLOAD, () => HttpResponse.text('ok')))
    const error = await rejection(upload(photo(), config))
    expect(error).toMatchObject({ code: 'server', status: 200 })
  })

  it('accepts any 2xx that carries the upload response as success', async () => {
    server.use(http.post(UPLOAD, () => HttpResponse.json(SUCCESS, { status: 201 })))
    await expect(upload(photo(), config)).resolves.toEqual(SUCCESS)
  })

  // Issue 9, defect 7: a 2xx whose JSON is not an upload response resolved upload() (and fired onSuccess).
  it.each([
    ['an error object', { error: 'quota exceeded' }],
    ['an empty array', []],
    ['null', null],
    ['a response whose url is not a string', { ...SUCCESS_FIELDS, url: 42 }],
    ['a response without filePath', { fileId: 'x', name: 'a.jpg', url: 'https://ik.test/a.jpg' }],
  ])('rejects a 200 with %s as a server error that names the status and the body', async (_name, body) => {
    server.use(http.post(UPLOAD, () => HttpResponse.json(body)))
    const error = await rejection(upload(photo(), config))
    expect(error).toMatchObject({ code: 'server', status: 200 })
    // The first 40 characters of the body, quoted, so a person sees what came back.
    const start = JSON.stringify(JSON.stringify(body).slice(0, 40))
    expect(error.message).toBe(`The upload server answered HTTP 200, not the expected JSON: ${start}.`)
  })

  it('quotes the body of a 200 that is not an upload response', async () => {
    server.use(http.post(UPLOAD, () => HttpResponse.json({ error: 'quota exceeded' })))
    expect((await rejection(upload(photo(), config))).message).toBe(
      'The upload server answered HTTP 200, not the expected JSON: "{\\"error\\":\\"quota exceeded\\"}".',
    )
  })

  it('reads Retry-After from a 429', async () => {
    server.use(
      http.post(UPLOAD, () =>
        HttpResponse.json(
          { message: 'Too many requests', help: HELP },
          { status: 429, headers: { 'Retry-After': '7' } },
        ),
      ),
    )
    const error = await rejection(upload(photo(), config))
    expect(error).toMatchObject({ status: 429, retryAfter: 7 })
  })

  it.each([
    ['delta-seconds', '120', 120],
    ['an HTTP date 30 s ahead', 'Tue, 01 Jan 2030 00:00:30 GMT', 30],
    ['an HTTP date in the past', 'Wed, 21 Oct 2015 07:28:00 GMT', undefined],
    ['neither', 'soon', undefined],
  ])('reads a Retry-After of %s as seconds', async (_kind, header, seconds) => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    server.use(
      http.post(UPLOAD, () =>
        HttpResponse.json(
          { message: 'Busy', help: HELP },
          { status: 503, headers: { 'Retry-After': header } },
        ),
      ),
    )
    expect((await rejection(upload(photo(), config))).retryAfter).toBe(seconds)
  })

  it('gives a dropped connection the network code', async () => {
    server.use(http.post(UPLOAD, () => HttpResponse.error()))
    const error = await rejection(upload(photo(), config))
    expect(error.code).toBe('network')
    expect(error.message).toBe(
      'The upload failed: no answer from the server. Check the connection and try again.',
    )
  })

  it('times out an upload that takes longer than timeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    server.use(http.post(UPLOAD, () => delay('infinite')))
    const asked = waitFor(UPLOAD, 'POST')
    const pending = settled(upload(photo(), config, { timeout: 5_000 }))
    await asked
    await vi.advanceTimersByTimeAsync(4_999)
    expect(pending.done).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    const error = await rejection(pending.promise)
    expect(error.code).toBe('timeout')
    expect(error.message).toBe('The upload timed out.')
  })

  it('aborts an upload that makes no progress for stallTimeout, and restarts the clock on progress', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    let report: ((progress: { loaded: number; total: number }) => void) | undefined
    const transport: Transport = ({ onProgress, signal }) =>
      new Promise((_, reject) => {
        report = onProgress
        signal.addEventListener('abort', () => reject(signal.reason))
      })
    const pending = settled(upload(photo(), { ...config, transport }, { stallTimeout: 1_000 }))
    await vi.waitFor(() => expect(report).toBeDefined())
    await vi.advanceTimersByTimeAsync(900)
    report?.({ loaded: 10, total: 100 })
    await vi.advanceTimersByTimeAsync(900)
    report?.({ loaded: 100, total: 100 })
    await vi.advanceTimersByTimeAsync(999)
    expect(pending.done).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    const error = await rejection(pending.promise)
    expect(error).toMatchObject({ code: 'timeout', message: 'The upload timed out.' })
  })

  it('leaves no timer behind once an upload ends', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const pending = settled(upload(photo(), config, { timeout: 60_000, stallTimeout: 30_000 }))
    await vi.waitFor(() => expect(pending.done).toBe(true))
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('upload() abort', () => {
  it('before it starts: no request is made', async () => {
    const controller = new AbortController()
    controller.abort()
    const error = await rejection(upload(photo(), config, { signal: controller.signal }))
    expect(error.code).toBe('aborted')
    expect(authCalls).toHaveLength(0)
  })

  it('while auth is pending', async () => {
    const controller = new AbortController()
    server.use(
      http.get(AUTH, () => {
        controller.abort()
        return delay('infinite')
      }),
    )
    const error = await rejection(upload(photo(), config, { signal: controller.signal }))
    expect(error.code).toBe('aborted')
    expect(uploads).toHaveLength(0)
  })

  it('while an authenticator() that ignores the signal is pending', async () => {
    const controller = new AbortController()
    const pending = upload(
      photo(),
      { publicKey: 'k', uploadEndpoint: UPLOAD, authenticator: () => new Promise(() => {}) },
      { signal: controller.signal },
    )
    controller.abort()
    expect((await rejection(pending)).code).toBe('aborted')
  })

  it('during the upload', async () => {
    const controller = new AbortController()
    server.use(
      http.post(UPLOAD, () => {
        controller.abort()
        return delay('infinite')
      }),
    )
    const error = await rejection(upload(photo(), config, { signal: controller.signal }))
    expect(error.code).toBe('aborted')
    expect(error.message).toBe('The upload was aborted.')
  })
})

describe('upload() progress through the transport seam', () => {
  it('reports the progress the transport sees', async () => {
    const seen: number[] = []
    const transport: Transport = async ({ onProgress }) => {
      for (const loaded of [10, 50, 100]) onProgress?.({ loaded, total: 100 })
      return { status: 200, text: JSON.stringify(SUCCESS), header: () => null }
    }
    await upload(photo(), { ...config, transport }, { onProgress: ({ loaded }) => seen.push(loaded) })
    expect(seen).toEqual([10, 50, 100])
  })
})
