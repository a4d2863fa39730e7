import {
  tokenUsed,
  UploadRefusal,
  V2_AUTH_NOT_JSON,
  V2_PAYLOAD_MISMATCH,
  type V2Authorize,
  v2AuthBodyTooLarge,
  v2AuthNotStrings,
  v2AuthUnsignable,
} from '@ik-upload/core/protocol'
import { decodeProtectedHeader, jwtVerify } from 'jose'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DEV_AUTH_ENDPOINT, DEV_PRIVATE_KEY, DEV_PUBLIC_KEY, uploadHandlers } from '../uploadHandlers'
import { DEV_AUTH_V2_ENDPOINT } from '../v2AuthHandlers'

const UPLOAD_V2 = 'https://upload.ikupload.test/api/v2/files/upload'

/** The hook of the test at hand; the mock's `authorizeV2` defers to it. */
let authorize: V2Authorize | undefined
const mock = uploadHandlers({
  uploadEndpoint: 'https://upload.ikupload.test/api/v1/files/upload',
  uniqueSuffix: () => '_Ab3x-Y9_k',
  authorizeV2: (request, fields) => (authorize ? authorize(request, fields) : true),
})
const server = setupServer(...mock.handlers)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  mock.reset()
  authorize = undefined
})
afterAll(() => server.close())

type Reply = { token: string; fields: Record<string, string> }

/** The v2 exchange as the client makes it. */
async function exchange(fields: unknown, init: RequestInit = {}, url = DEV_AUTH_V2_ENDPOINT) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fields }),
    ...init,
  })
  return { status: response.status, json: (await response.json()) as Record<string, unknown>, response }
}

/** A v2 upload: exactly `fields` and `token`, `file` last. */
async function uploadV2(fields: Record<string, string>, token: string) {
  const body = new FormData()
  for (const [name, value] of Object.entries(fields)) body.append(name, value)
  body.append('token', token)
  body.append('file', new File(['hello'], fields.fileName ?? 'a.txt', { type: 'text/plain' }))
  const response = await fetch(UPLOAD_V2, { method: 'POST', body })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

describe('the v2 auth endpoint', () => {
  it('answers at authEndpoint + /v2 with a token over exactly the fields sent, which the v2 upload API takes once', async () => {
    expect(DEV_AUTH_V2_ENDPOINT).toBe(`${DEV_AUTH_ENDPOINT}/v2`)
    const fields = { fileName: 'notes.txt', folder: '/docs', tags: 'a,b' }
    const { status, json, response } = await exchange(fields, {
      headers: { 'content-type': 'application/json', authorization: 'Bearer app-session' },
    })
    expect(status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    const reply = json as Reply
    expect(reply.fields).toEqual(fields)
    expect(decodeProtectedHeader(reply.token)).toEqual({ alg: 'HS256', typ: 'JWT', kid: DEV_PUBLIC_KEY })
    const { payload } = await jwtVerify(reply.token, new TextEncoder().encode(DEV_PRIVATE_KEY))
    expect(payload).toMatchObject(fields)
    expect(mock.authV2Requests).toEqual([
      expect.objectContaining({
        fields,
        approved: fields,
        token: reply.token,
        status: 200,
        headers: expect.objectContaining({ authorization: 'Bearer app-session' }),
      }),
    ])
    expect(mock.authRequests).toEqual([])

    const stored = await uploadV2(reply.fields, reply.token)
    expect(stored).toMatchObject({
      status: 200,
      json: { filePath: '/docs/notes_Ab3x-Y9_k.txt' },
    })
    expect(mock.files.get('/docs/notes_Ab3x-Y9_k.txt')?.tags).toEqual(['a', 'b'])
    expect((await uploadV2(reply.fields, reply.token)).json.message).toBe(tokenUsed(reply.token))
  })

  it("signs authorizeV2's rewrite: the upload lands in the backend's folder, and the folder the page asked for is refused", async () => {
    authorize = (request, fields) => ({
      ...fields,
      folder: `/users/${request.headers.get('x-user')}`,
      tags: 'signed-by-backend',
    })
    const asked = { fileName: 'cat.txt', folder: '/somebody-else' }
    const { json } = await exchange(asked, {
      headers: { 'content-type': 'application/json', 'x-user': '42' },
    })
    const reply = json as Reply
    expect(reply.fields).toEqual({ fileName: 'cat.txt', folder: '/users/42', tags: 'signed-by-backend' })
    expect(mock.authV2Requests[0]).toMatchObject({ fields: asked, approved: reply.fields })

    const mismatch = await uploadV2(asked, reply.token)
    expect(mismatch).toMatchObject({ status: 400, json: { message: V2_PAYLOAD_MISMATCH } })
    const { token } = (
      await exchange(asked, { headers: { 'content-type': 'application/json', 'x-user': '42' } })
    ).json as Reply
    const stored = await uploadV2(reply.fields, token)
    expect(stored).toMatchObject({ status: 200, json: { filePath: '/users/42/cat_Ab3x-Y9_k.txt' } })
    expect(mock.files.get('/users/42/cat_Ab3x-Y9_k.txt')?.tags).toEqual(['signed-by-backend'])
  })

  it('answers refusals of authorizeV2 with 403: false, or the message of an UploadRefusal', async () => {
    authorize = () => false
    expect(await exchange({ fileName: 'a.txt' })).toMatchObject({
      status: 403,
      json: { message: 'Not authorized to upload with these fields.' },
    })
    authorize = () => {
      throw new UploadRefusal('Uploads go to your own folder.')
    }
    expect(await exchange({ fileName: 'a.txt' })).toMatchObject({
      status: 403,
      json: { message: 'Uploads go to your own folder.' },
    })
    expect(mock.authV2Requests.map((record) => [record.status, record.token])).toEqual([
      [403, undefined],
      [403, undefined],
    ])
  })

  it('refuses bad bodies with the protocol messages, as @ik-upload/server and the local server do', async () => {
    expect(await exchange({ fileName: 'a.txt', isPrivateFile: true })).toMatchObject({
      status: 400,
      json: { message: v2AuthNotStrings(['isPrivateFile']) },
    })
    expect(await exchange({ fileName: 'a.txt', publicKey: 'x', signature: 'y', expire: '1' })).toMatchObject({
      status: 400,
      json: { message: v2AuthUnsignable(['publicKey', 'signature', 'expire']) },
    })
    expect(
      await exchange(undefined, { body: JSON.stringify({ fields: { description: 'x'.repeat(70_000) } }) }),
    ).toMatchObject({ status: 400, json: { message: v2AuthBodyTooLarge(65536) } })
    expect(
      await exchange({ fileName: 'a.txt' }, { headers: { 'content-type': 'text/plain' } }),
    ).toMatchObject({
      status: 415,
      json: { message: V2_AUTH_NOT_JSON },
    })
    expect(mock.authV2Requests.every((record) => record.fields === undefined && record.status >= 400)).toBe(
      true,
    )
  })

  it('answers its CORS preflight, allowing the JSON Content-Type', async () => {
    const response = await fetch(DEV_AUTH_V2_ENDPOINT, {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS')
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type')
  })

  it("fails with failNext(..., 'auth') like the v1 endpoint, then signs again", async () => {
    mock.failNext(1, 503, 'auth')
    const failed = await exchange({ fileName: 'a.txt' })
    expect(failed.status).toBe(503)
    const again = await exchange({ fileName: 'a.txt' })
    expect(again.status).toBe(200)
    expect(mock.authV2Requests.map((record) => record.status)).toEqual([503, 200])
    mock.reset()
    expect(mock.authV2Requests).toEqual([])
  })

  it('gives the same fields in the same second two tokens, so two uploads of one file both go through', async () => {
    // Replaces itself: the mock's fixed unique suffix would otherwise find no second name.
    const fields = { fileName: 'twice.txt', useUniqueFileName: 'false' }
    const [first, second] = await Promise.all([exchange(fields), exchange(fields)])
    const a = first.json as Reply
    const b = second.json as Reply
    expect(a.token).not.toBe(b.token)
    expect((await uploadV2(a.fields, a.token)).status).toBe(200)
    const second_ = await uploadV2(b.fields, b.token)
    console.log(JSON.stringify(second_))
    expect(second_.status).toBe(200)
  })
})

describe('authV2Endpoint', () => {
  it('moves the v2 auth endpoint', async () => {
    const moved = uploadHandlers({
      authEndpoint: 'https://other.ikupload.test/auth',
      authV2Endpoint: 'https://other.ikupload.test/sign-v2',
      uploadEndpoint: 'https://other.ikupload.test/api/v1/files/upload',
    })
    server.use(...moved.handlers)
    const { status } = await exchange({ fileName: 'a.txt' }, {}, 'https://other.ikupload.test/sign-v2')
    expect(status).toBe(200)
    expect(moved.authV2Requests).toHaveLength(1)
    server.resetHandlers()
  })
})
