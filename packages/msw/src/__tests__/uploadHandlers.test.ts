import { UploadError, upload } from '@ik-upload/core'
import {
  ACCOUNT_NOT_AUTHENTICATED,
  FILE_EMPTY,
  FILE_EXISTS,
  FILE_NAME_TOO_LONG,
  HELP,
  INVALID_EXPIRE,
  INVALID_SIGNATURE,
  invalidValue,
  missingParameter,
  signDeliveryPath,
  signUploadToken,
  tokenUsed,
  V2_PAYLOAD_MISMATCH,
} from '@ik-upload/core/protocol'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  DEV_AUTH_ENDPOINT,
  DEV_PRIVATE_KEY,
  DEV_PUBLIC_KEY,
  DEV_URL_ENDPOINT,
  uploadHandlers,
} from '../uploadHandlers'

const UPLOAD = 'https://upload.ikupload.test/api/v1/files/upload'
const UPLOAD_V2 = 'https://upload.ikupload.test/api/v2/files/upload'

const mock = uploadHandlers({ uploadEndpoint: UPLOAD, uniqueSuffix: () => '_Ab3x-Y9_k' })
const server = setupServer(...mock.handlers)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  mock.reset()
  vi.useRealTimers()
})
afterAll(() => server.close())

const config = {
  publicKey: DEV_PUBLIC_KEY,
  authenticationEndpoint: DEV_AUTH_ENDPOINT,
  uploadEndpoint: UPLOAD,
}

/** A PNG whose IHDR says `width` x `height`: enough for the protocol's type detection. */
function png(width: number, height: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(33)
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  const view = new DataView(bytes.buffer)
  view.setUint32(16, width)
  view.setUint32(20, height)
  return bytes
}

const text = (name = 'notes.txt') => new File(['hello'], name, { type: 'text/plain' })

/** Posts a raw multipart form, as a client that is not ours would. */
async function post(fields: Record<string, string | Blob>, url = UPLOAD, headers: HeadersInit = {}) {
  const body = new FormData()
  for (const [name, value] of Object.entries(fields)) body.append(name, value)
  const response = await fetch(url, { method: 'POST', body, headers })
  return { status: response.status, json: (await response.json()) as Record<string, unknown>, response }
}

async function signedFields(token: string = crypto.randomUUID()) {
  const expire = Math.floor(Date.now() / 1000) + 600
  return {
    publicKey: DEV_PUBLIC_KEY,
    token,
    expire: String(expire),
    signature: await signUploadToken(DEV_PRIVATE_KEY, token, expire),
  }
}

describe('the auth endpoint', () => {
  it('answers fresh parameters signed with the real signing function, never cached', async () => {
    const response = await fetch(DEV_AUTH_ENDPOINT, { headers: { authorization: 'Bearer app-session' } })
    expect(response.headers.get('cache-control')).toBe('no-store')
    const params = (await response.json()) as { token: string; expire: number; signature: string }
    expect(params.token).toMatch(/^[0-9a-f-]{36}$/)
    expect(params.expire - Date.now() / 1000).toBeGreaterThan(1700)
    expect(params.signature).toBe(await signUploadToken(DEV_PRIVATE_KEY, params.token, params.expire))
    expect(mock.authRequests).toEqual([
      expect.objectContaining({
        params,
        headers: expect.objectContaining({ authorization: 'Bearer app-session' }),
      }),
    ])
  })

  it('uses throwaway dev keys that say so', () => {
    expect(DEV_PUBLIC_KEY).toBe('public_dev_ikupload_do_not_use')
    expect(DEV_PRIVATE_KEY).toBe('private_dev_ikupload_do_not_use')
  })
})

describe('the v1 upload API', () => {
  it('stores an upload and answers the spec success response, with the exact headers', async () => {
    const file = new File([png(200, 300)], 'photo one.png', { type: 'image/png' })
    const result = await upload(file, { ...config, folder: '//images///products/' })
    expect(result).toEqual({
      fileId: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'photo_one_Ab3x-Y9_k.png',
      size: 33,
      versionInfo: { id: result.fileId, name: 'Version 1' },
      filePath: '/images/products/photo_one_Ab3x-Y9_k.png',
      url: `${DEV_URL_ENDPOINT}/images/products/photo_one_Ab3x-Y9_k.png`,
      thumbnailUrl: `${DEV_URL_ENDPOINT}/tr:n-ik_ml_thumbnail/images/products/photo_one_Ab3x-Y9_k.png`,
      fileType: 'image',
      width: 200,
      height: 300,
      AITags: null,
    })
    const [request] = mock.requests
    expect(request).toMatchObject({ version: 'v1', status: 200, injected: false })
    expect(request?.file?.name).toBe('photo one.png')
    expect(request?.token).toBe(mock.authRequests[0]?.params?.token)
    const { response } = await post({ ...(await signedFields()), fileName: 'a.txt', file: text() })
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('x-request-id')).toBe(response.headers.get('x-ik-requestid'))
  })

  it('refuses a token used before, even when the earlier request failed', async () => {
    const fields = await signedFields('replayed-token')
    const first = await post({ ...fields, fileName: 'a.txt', folder: 'bad folder!', file: text() })
    expect(first.status).toBe(400)
    const second = await post({ ...fields, fileName: 'a.txt', file: text() })
    expect(second).toMatchObject({ status: 400, json: { message: tokenUsed('replayed-token'), help: HELP } })
    expect(mock.usedTokens.has('replayed-token')).toBe(true)
  })

  it('checks the signature and the public key', async () => {
    const fields = await signedFields()
    expect(await post({ ...fields, signature: '0'.repeat(40), fileName: 'a', file: text() })).toMatchObject({
      status: 400,
      json: { message: INVALID_SIGNATURE },
    })
    expect(await post({ ...fields, publicKey: 'public_other', fileName: 'a', file: text() })).toMatchObject({
      status: 403,
      json: { message: ACCOUNT_NOT_AUTHENTICATED },
    })
  })

  it('answers the fields named in responseFields, and refuses to replace a file when asked', async () => {
    const options = { ...config, useUniqueFileName: false, overwriteFile: false, tags: ['a', 'b'] }
    const first = await upload(text(), { ...options, responseFields: ['tags', 'isPrivateFile'] })
    expect(first).toMatchObject({
      name: 'notes.txt',
      tags: ['a', 'b'],
      isPrivateFile: false,
      fileType: 'non-image',
    })
    const error = await upload(text(), options).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UploadError)
    expect(error).toMatchObject({ code: 'server', status: 400, message: FILE_EXISTS })
    expect(mock.files.get('/notes.txt')?.versionNumber).toBe(1)
    const replaced = await upload(text(), { ...config, useUniqueFileName: false })
    expect(replaced.versionInfo).toEqual({ id: expect.not.stringMatching(first.fileId), name: 'Version 2' })
    expect(replaced.fileId).toBe(first.fileId)
  })

  it('takes a base64 text file', async () => {
    const result = await upload(btoa('hello'), { ...config, fileName: 'hello.txt' })
    expect(result).toMatchObject({ name: 'hello_Ab3x-Y9_k.txt', size: 5 })
  })

  // Parity bug (review): msw kept the last value of a repeated field, the local server the first.
  it('keeps the first value of a repeated field, as the local server does (repeated-field parity bug)', async () => {
    const body = new FormData()
    for (const [name, value] of Object.entries(await signedFields())) body.append(name, value)
    body.append('fileName', 'one.txt')
    body.append('fileName', 'two.txt')
    body.append('useUniqueFileName', 'false')
    body.append('tags', 'first')
    body.append('tags', 'second')
    body.append('responseFields', 'tags')
    body.append('file', new File(['kept'], 'one.txt'))
    body.append('file', new File(['second file'], 'two.txt'))
    const response = await fetch(UPLOAD, { method: 'POST', body })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ name: 'one.txt', size: 4, tags: ['first'] })
    expect(mock.requests[0]?.fields).toMatchObject({ fileName: 'one.txt', tags: 'first' })
    expect(mock.requests[0]?.file?.name).toBe('one.txt')
  })

  // Parity bug (review): a whitespace-only text `file` was `invalid value` here, `missing` there.
  it('answers a whitespace-only text file as a missing file, as the local server does (parity bug)', async () => {
    const result = await post({ ...(await signedFields()), fileName: 'a.txt', file: ' \r\n\t ' })
    expect(result).toMatchObject({ status: 400, json: { message: missingParameter('file'), help: HELP } })
  })
})

// Issue 9, defects 2 and 11: the shared judge's rules, as the handlers answer them.
describe('hostile v1 fields', () => {
  it("refuses a used token's signature replayed with a leading zero on expire, and does not burn the token", async () => {
    const expire = Math.floor(Date.now() / 1000) + 600
    const signature = await signUploadToken(DEV_PRIVATE_KEY, 'replay-token0', expire)
    const base = { publicKey: DEV_PUBLIC_KEY, signature, fileName: 'a.txt' }
    expect(
      (await post({ ...base, token: 'replay-token0', expire: String(expire), file: text() })).status,
    ).toBe(200)
    const replay = await post({ ...base, token: 'replay-token', expire: `0${expire}`, file: text() })
    expect(replay).toMatchObject({ status: 400, json: { message: INVALID_EXPIRE, help: HELP } })
    expect(mock.usedTokens.has('replay-token')).toBe(false)
  })

  it('refuses customCoordinates of 400 digits instead of storing Infinity', async () => {
    const result = await post({
      ...(await signedFields()),
      fileName: 'a.txt',
      customCoordinates: `${'9'.repeat(400)},0,1,1`,
      file: text(),
    })
    expect(result).toMatchObject({ status: 400, json: { message: invalidValue('customCoordinates') } })
    expect(mock.files.size).toBe(0)
  })

  it('refuses a fileName over 1024 characters', async () => {
    const result = await post({ ...(await signedFields()), fileName: 'a'.repeat(1025), file: text() })
    expect(result).toMatchObject({ status: 400, json: { message: FILE_NAME_TOO_LONG, help: HELP } })
  })

  it.each([
    ['a 0-byte file part', () => new File([], 'empty.txt', { type: 'text/plain' })],
    ['an empty data URI', () => 'data:text/plain;base64,'],
  ])('refuses %s with the empty-file message', async (_name, file) => {
    const result = await post({ ...(await signedFields()), fileName: 'empty.txt', file: file() })
    expect(result).toMatchObject({ status: 400, json: { message: FILE_EMPTY, help: HELP } })
    expect(mock.files.size).toBe(0)
  })
})

describe('knobs', () => {
  it('fails the next N uploads with a status, Retry-After and the spec body, without burning their tokens', async () => {
    mock.failNext(2, { status: 503, retryAfter: 3 })
    const fields = await signedFields()
    const first = await post({ ...fields, fileName: 'a', file: text() })
    expect(first).toMatchObject({
      status: 503,
      json: { message: 'The service is temporarily unavailable.', help: HELP },
    })
    expect(first.response.headers.get('retry-after')).toBe('3')
    expect((await post({ ...(await signedFields()), fileName: 'a', file: text() })).status).toBe(503)
    expect((await post({ ...fields, fileName: 'a', file: text() })).status).toBe(200)
    expect(mock.requests.map((request) => [request.status, request.injected])).toEqual([
      [503, true],
      [503, true],
      [200, false],
    ])
  })

  it('injects a network error, on uploads or on the auth endpoint', async () => {
    mock.failNext(1, 'network')
    await expect(upload(text(), config)).rejects.toMatchObject({ code: 'network' })
    mock.failNext(1, 500, 'auth')
    await expect(upload(text(), config)).rejects.toMatchObject({ code: 'auth' })
    expect(mock.requests.map((request) => request.status)).toEqual([0])
  })

  it('adds latency through msw delay, which fake timers control', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    mock.setLatency(5000)
    let answered = false
    const pending = fetch(DEV_AUTH_ENDPOINT).then(() => {
      answered = true
    })
    await vi.advanceTimersByTimeAsync(4999)
    expect(answered).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    await pending
    expect(answered).toBe(true)
  })

  it('holds uploads while paused', async () => {
    mock.pause()
    const pending = upload(text(), config)
    await vi.waitFor(() => expect(mock.requests).toHaveLength(1))
    expect(mock.requests[0]?.status).toBe(0)
    mock.resume()
    await pending
    expect(mock.requests[0]?.status).toBe(200)
  })
})

describe('the v2 upload API', () => {
  it('takes a JWT over the exact fields, once', async () => {
    const fields = { fileName: 'doc.txt', folder: '/v2', useUniqueFileName: 'false' }
    const token = await mock.signV2Token(fields)
    const first = await post({ ...fields, token, file: text() }, UPLOAD_V2)
    expect(first).toMatchObject({ status: 200, json: { filePath: '/v2/doc.txt' } })
    expect((await post({ ...fields, token, file: text() }, UPLOAD_V2)).json.message).toBe(tokenUsed(token))
    expect(mock.requests[0]?.version).toBe('v2')
  })

  it('refuses fields changed after signing', async () => {
    const token = await mock.signV2Token({ fileName: 'doc.txt' })
    const changed = await post(
      { fileName: 'doc.txt', useUniqueFileName: 'false', token, file: text() },
      UPLOAD_V2,
    )
    expect(changed).toMatchObject({ status: 400, json: { message: V2_PAYLOAD_MISMATCH } })
  })
})

describe('delivery', () => {
  it('serves a stored file by its url, with or without a transformation', async () => {
    const { url, filePath } = await upload(new File([png(2, 2)], 'p.png', { type: 'image/png' }), config)
    const response = await fetch(url)
    expect(response.headers.get('content-type')).toBe('image/png')
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png(2, 2))
    expect((await fetch(`${DEV_URL_ENDPOINT}/tr:w-100${filePath}`)).status).toBe(200)
    expect((await fetch(`${DEV_URL_ENDPOINT}/missing.png`)).status).toBe(404)
  })

  it('serves a private file only with a valid signature', async () => {
    const { url, filePath } = await upload(text('secret.txt'), { ...config, isPrivateFile: true })
    expect((await fetch(url)).status).toBe(401)
    const signature = await signDeliveryPath(DEV_PRIVATE_KEY, filePath)
    expect((await fetch(`${url}?ik-s=${signature}`)).status).toBe(200)
    const past = Math.floor(Date.now() / 1000) - 10
    const expired = await signDeliveryPath(DEV_PRIVATE_KEY, filePath, past)
    expect((await fetch(`${url}?ik-t=${past}&ik-s=${expired}`)).status).toBe(401)
  })

  // Parity bug (review): msw took `ik-t` equal to now as still valid (`<`), the local server not (`<=`).
  it('refuses a signed URL whose ik-t is the current second: expired at its own second (parity bug)', async () => {
    const nowMs = 1_900_000_000_000
    const clocked = uploadHandlers({
      uploadEndpoint: 'https://upload.clocked.test/api/v1/files/upload',
      urlEndpoint: 'https://ik.clocked.test/dev',
      now: () => nowMs,
    })
    server.use(...clocked.handlers)
    try {
      const { token, expire, signature } = await clocked.authParams()
      const stored = await post(
        {
          publicKey: DEV_PUBLIC_KEY,
          token,
          expire: String(expire),
          signature,
          fileName: 'secret.txt',
          isPrivateFile: 'true',
          useUniqueFileName: 'false',
          file: text('secret.txt'),
        },
        'https://upload.clocked.test/api/v1/files/upload',
      )
      expect(stored.status).toBe(200)
      const url = stored.json.url as string
      const signedUntil = async (ikT: number) =>
        `${url}?ik-t=${ikT}&ik-s=${await signDeliveryPath(DEV_PRIVATE_KEY, '/secret.txt', ikT)}`
      expect((await fetch(await signedUntil(nowMs / 1000))).status).toBe(401)
      expect((await fetch(await signedUntil(nowMs / 1000 + 1))).status).toBe(200)
    } finally {
      server.resetHandlers()
    }
  })

  // Parity bug (review): msw served unpublished files to anyone; the local server answers 404
  // unless the URL is signed.
  it('does not serve an unpublished file without a valid signature: 404, as the local server (parity bug)', async () => {
    const stored = await post({
      ...(await signedFields()),
      fileName: 'draft.txt',
      isPublished: 'false',
      useUniqueFileName: 'false',
      file: text('draft.txt'),
    })
    expect(stored.status).toBe(200)
    const url = stored.json.url as string
    expect((await fetch(url)).status).toBe(404)
    expect((await fetch(`${url}?ik-s=${'0'.repeat(40)}`)).status).toBe(404)
    const signature = await signDeliveryPath(DEV_PRIVATE_KEY, '/draft.txt')
    const signed = await fetch(`${url}?ik-s=${signature}`)
    expect(signed.status).toBe(200)
    expect(await signed.text()).toBe('hello')
  })
})
