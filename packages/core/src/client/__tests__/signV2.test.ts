import { delay, HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { judgeV2UploadFields } from '../../protocol/judgeUploadRequest'
import { signUploadJwt } from '../../protocol/jwt'
import { createUploader } from '../createUploader'
import type { AuthenticatorContext } from '../fetchAuthParams'
import { type SignedUpload, signV1 } from '../signUpload'
import { IMAGEKIT_UPLOAD_V2_ENDPOINT, signV2 } from '../signV2'
import { UploadError } from '../UploadError'
import { sendUpload, type UploadOptions, upload, uploadFields } from '../upload'

const AUTH = 'https://app.test/api/imagekit-auth/v2'
const UPLOAD = 'https://upload.test/api/v2/files/upload'
const PUBLIC_KEY = 'public_test_key'
const PRIVATE_KEY = 'private_test_key'
const HELP = 'For support kindly contact us at support@imagekit.io .'

/** What the backend received: each auth request and the fields it was asked to sign. */
const authCalls: { request: Request; body: unknown }[] = []
/** What the upload server received: the parts in order, the file part's name, and the answer. */
const uploads: { entries: [string, string][]; fileName?: string; status: number }[] = []
const usedTokens = new Set<string>()

/** A backend's authorize hook: the approved fields for the asked ones (the identity by default). */
let authorize: (fields: Record<string, string>) => Record<string, string> = (fields) => fields

/** A v2 auth endpoint as v2-design describes it: POST {fields} → {token, fields}, the token signing them. */
const authHandler = http.post(AUTH, async ({ request }) => {
  const body = (await request.clone().json()) as { fields: Record<string, string> }
  authCalls.push({ request, body })
  const fields = authorize(body.fields)
  // The payload is the fields plus iat/exp, so two tokens for the same fields in the same second
  // are the same string, and the judge refuses the second as used: this backend moves iat back a
  // second per request to keep them apart (a real backend has the same problem to solve).
  const iat = Math.floor(Date.now() / 1000) - authCalls.length
  const token = await signUploadJwt({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, fields, iat })
  return HttpResponse.json({ token, fields })
})

/** An upload server that judges v2 with the protocol's own judge (the one msw and the local server use). */
const uploadHandler = (url: string) =>
  http.post(url, async ({ request }) => {
    const form = await request.formData()
    const entries: [string, string][] = []
    let fileName: string | undefined
    for (const [name, value] of form.entries()) {
      if (typeof value === 'string') entries.push([name, value])
      else {
        entries.push([name, '<binary>'])
        fileName = value.name
      }
    }
    const fields = Object.fromEntries(entries.filter(([name]) => name !== 'file'))
    const judged = await judgeV2UploadFields(fields, {
      privateKeyFor: (kid) => (kid === PUBLIC_KEY ? PRIVATE_KEY : undefined),
      isTokenUsed: (token) => usedTokens.has(token),
      markTokenUsed: (token) => void usedTokens.add(token),
    })
    const status = judged.ok ? 200 : judged.status
    uploads.push({ entries, fileName, status })
    if (!judged.ok) return HttpResponse.json({ message: judged.message, help: HELP }, { status })
    const { folder, fileName: name } = judged.upload
    const filePath = `${folder === '/' ? '' : folder}/${name}`
    return HttpResponse.json({ fileId: 'f1', name, filePath, url: `https://ik.test${filePath}` })
  })

const server = setupServer(authHandler, uploadHandler(UPLOAD))

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  vi.useRealTimers()
  server.resetHandlers()
  authCalls.length = 0
  uploads.length = 0
  usedTokens.clear()
  authorize = (fields) => fields
})
afterAll(() => server.close())

const config: UploadOptions = { signer: signV2, authenticationEndpoint: AUTH, uploadEndpoint: UPLOAD }
const photo = () => new File(['hello world'], 'photo.jpg', { type: 'image/jpeg' })

async function rejection(promise: Promise<unknown>): Promise<UploadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(UploadError)
  return error as UploadError
}

/** Answers the auth endpoint with `reply` (JSON, status 200 unless given). */
const authReplies = (reply: Record<string, unknown>, status = 200) =>
  server.use(http.post(AUTH, () => HttpResponse.json(reply, { status })))

/** A well-formed, validly signed token over `fields`. */
const tokenFor = (fields: Record<string, string>) =>
  signUploadJwt({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, fields })

describe('signV2 uploads', () => {
  it('sends the fields to the backend as JSON, then exactly the approved fields and the token, file last', async () => {
    const result = await upload(photo(), {
      ...config,
      // A v1 key in the config is not sent: v2's only auth field is the token.
      publicKey: PUBLIC_KEY,
      folder: '/products',
      tags: ['a', 'b'],
      useUniqueFileName: false,
    })
    expect(result.filePath).toBe('/products/photo.jpg')

    const [call] = authCalls
    expect(call?.request.method).toBe('POST')
    expect(call?.request.headers.get('content-type')).toBe('application/json')
    expect(call?.request.cache).toBe('no-store')
    const asked = { fileName: 'photo.jpg', useUniqueFileName: 'false', tags: 'a,b', folder: '/products' }
    expect(call?.body).toEqual({ fields: asked })

    const [sent] = uploads
    expect(sent?.status).toBe(200)
    const names = sent?.entries.map(([name]) => name)
    expect(names).toEqual(['fileName', 'useUniqueFileName', 'tags', 'folder', 'token', 'file'])
    expect(Object.fromEntries(sent?.entries ?? [])).toMatchObject(asked)
    expect(sent?.fileName).toBe('photo.jpg')
  })

  it('sends no publicKey, signature or expire', async () => {
    await upload(photo(), { ...config, publicKey: PUBLIC_KEY })
    const names = uploads[0]?.entries.map(([name]) => name)
    expect(names).not.toContain('publicKey')
    expect(names).not.toContain('signature')
    expect(names).not.toContain('expire')
  })

  it('needs no publicKey', async () => {
    await expect(upload(photo(), config)).resolves.toMatchObject({ name: 'photo.jpg' })
  })

  it('lets a backend that rewrites the fields win: forced folder, added tag, its own file name', async () => {
    authorize = (fields) => ({
      ...fields,
      fileName: 'renamed.jpg',
      folder: '/users/42',
      tags: 'checked',
      isPrivateFile: 'true',
    })
    const result = await upload(photo(), { ...config, folder: '/someone-else', tags: 'mine' })
    expect(authCalls[0]?.body).toEqual({
      fields: { fileName: 'photo.jpg', tags: 'mine', folder: '/someone-else' },
    })
    expect(result.filePath).toBe('/users/42/renamed.jpg')
    const [sent] = uploads
    expect(Object.fromEntries(sent?.entries ?? [])).toMatchObject({
      fileName: 'renamed.jpg',
      folder: '/users/42',
      tags: 'checked',
      isPrivateFile: 'true',
    })
    // The file part is named after the approved fileName, not the picked file's.
    expect(sent?.fileName).toBe('renamed.jpg')
  })

  it('reads the expiry of a token whose fields hold non-ASCII text', async () => {
    authorize = (fields) => ({ ...fields, folder: '/users/Zoë/写真', description: 'naïve ☃' })
    const result = await upload(photo(), config)
    expect(result.filePath).toBe('/users/Zoë/写真/photo.jpg')
  })

  it('lets a backend drop a field it does not allow', async () => {
    authorize = ({ useUniqueFileName, ...fields }) => fields
    await upload(photo(), { ...config, useUniqueFileName: false })
    expect(uploads[0]?.entries.map(([name]) => name)).toEqual(['fileName', 'token', 'file'])
    expect(uploads[0]?.status).toBe(200)
  })

  it('asks for a new token for every call', async () => {
    await upload(photo(), config)
    await upload(photo(), config)
    expect(authCalls).toHaveLength(2)
    const tokens = uploads.map(({ entries }) => Object.fromEntries(entries).token)
    expect(new Set(tokens).size).toBe(2)
    expect(uploads.map(({ status }) => status)).toEqual([200, 200])
  })

  it('asks for a new token for every attempt of the queue, retries included', async () => {
    // One 503 from the upload server, then the real one.
    let failed = false
    server.use(
      http.post(UPLOAD, () => {
        if (failed) return
        failed = true
        return HttpResponse.json({ message: 'busy', help: HELP }, { status: 503 })
      }),
    )
    const uploader = createUploader({ ...config, retryDelay: 1 })
    uploader.add([photo()])
    await vi.waitFor(() => expect(uploader.getSnapshot().isUploading).toBe(false))
    expect(uploader.getSnapshot().items[0]).toMatchObject({ status: 'success', attempt: 2 })
    expect(authCalls).toHaveLength(2)
    expect(uploads).toHaveLength(1)
    expect(uploads[0]?.status).toBe(200)
  })

  it('sends the backend authenticationRequest headers beside its JSON content type', async () => {
    await upload(photo(), {
      ...config,
      authenticationRequest: async () => ({
        headers: { authorization: 'Bearer s3ss' },
        credentials: 'include',
      }),
    })
    const headers = authCalls[0]?.request.headers
    expect(headers?.get('authorization')).toBe('Bearer s3ss')
    expect(headers?.get('content-type')).toBe('application/json')
    expect(authCalls[0]?.request.credentials).toBe('include')
  })

  it('calls authenticator({ signal, fields }) instead of the endpoint, and sends what it approved', async () => {
    const authenticator = vi.fn(
      async ({ fields }: { signal: AbortSignal; fields: Record<string, string> }) => {
        const approved = { ...fields, folder: '/from-authenticator' }
        return { token: await tokenFor(approved), fields: approved }
      },
    )
    const result = await upload(photo(), {
      signer: signV2,
      uploadEndpoint: UPLOAD,
      authenticator,
      folder: '/x',
    })
    expect(authCalls).toHaveLength(0)
    expect(authenticator).toHaveBeenCalledTimes(1)
    const [context] = authenticator.mock.calls[0] ?? []
    expect(context?.fields).toEqual({ fileName: 'photo.jpg', folder: '/x' })
    expect(context?.signal).toBeInstanceOf(AbortSignal)
    expect(result.filePath).toBe('/from-authenticator/photo.jpg')
  })

  it('uploads to ImageKit v2 when uploadEndpoint is unset', async () => {
    server.use(uploadHandler(IMAGEKIT_UPLOAD_V2_ENDPOINT))
    await upload(photo(), { signer: signV2, authenticationEndpoint: AUTH })
    expect(uploads[0]?.status).toBe(200)
  })

  it('sends a text source (a URL) as a text part, last', async () => {
    const result = await upload('https://example.test/cat.jpg', config).catch((error: unknown) => error)
    // The judge accepted the fields; this test server does not download, so only the parts matter.
    void result
    expect(uploads[0]?.entries.at(-1)).toEqual(['file', 'https://example.test/cat.jpg'])
    expect(Object.fromEntries(uploads[0]?.entries ?? []).fileName).toBe('cat.jpg')
  })

  it('refuses a missing fileName and an over-limit file before the backend is asked', async () => {
    const noName = await rejection(upload(new Blob(['x']), config))
    expect(noName).toMatchObject({ code: 'validation', field: 'fileName' })
    const big = await rejection(upload(photo(), { ...config, maxFileSize: 5 }))
    expect(big).toMatchObject({ code: 'validation', field: 'file' })
    expect(authCalls).toHaveLength(0)
  })

  it('cancels the auth request with the upload signal', async () => {
    server.use(http.post(AUTH, () => delay('infinite')))
    const controller = new AbortController()
    const pending = upload(photo(), config, { signal: controller.signal })
    controller.abort()
    const error = await rejection(pending)
    expect(error.code).toBe('aborted')
  })
})

describe('signV2 refuses a bad backend reply with a typed UploadError that names it', () => {
  it('no token', async () => {
    authReplies({ fields: { fileName: 'photo.jpg' } })
    const error = await rejection(upload(photo(), config))
    expect(error).toMatchObject({ code: 'auth' })
    expect(error.message).toBe(`The authentication endpoint returned no "token".`)
    expect(uploads).toHaveLength(0)
  })

  it('an empty token', async () => {
    authReplies({ token: '', fields: { fileName: 'photo.jpg' } })
    const error = await rejection(upload(photo(), config))
    expect(error.message).toBe(`The authentication endpoint returned no "token".`)
  })

  it('no fields (a v1 reply, for example)', async () => {
    authReplies({ token: 'a-uuid', expire: 9999999999, signature: 'abc' })
    const error = await rejection(upload(photo(), config))
    expect(error).toMatchObject({ code: 'auth' })
    expect(error.message).toBe(
      `The authentication endpoint returned no "fields" (an object of the approved upload fields).`,
    )
  })

  it('fields that are not an object', async () => {
    authReplies({ token: await tokenFor({}), fields: ['fileName'] })
    const error = await rejection(upload(photo(), config))
    expect(error.message).toContain('returned no "fields"')
  })

  it('a field that is not a string', async () => {
    const fields = { fileName: 'photo.jpg', isPrivateFile: true }
    authReplies({ token: await tokenFor({ fileName: 'photo.jpg', isPrivateFile: 'true' }), fields })
    const error = await rejection(upload(photo(), config))
    expect(error).toMatchObject({ code: 'auth' })
    expect(error.message).toBe(
      `The authentication endpoint returned a "fields.isPrivateFile" that is not a string (every field goes on the wire as text).`,
    )
    expect(uploads).toHaveLength(0)
  })

  it.each([
    ['a "file" field, which would send two file parts', { fileName: 'photo.jpg', file: 'evil' }],
    ['a "token" field', { fileName: 'photo.jpg', token: 'other' }],
  ])('fields holding %s', async (_name, fields) => {
    authReplies({ token: await tokenFor(fields), fields })
    const error = await rejection(upload(photo(), config))
    expect(error).toMatchObject({ code: 'auth' })
    expect(error.message).toBe(
      `The authentication endpoint returned "fields" holding "file" or "token", which are never signed.`,
    )
    expect(uploads).toHaveLength(0)
  })

  it('fields without a fileName (the file part would go unnamed by the token)', async () => {
    const fields = { folder: '/x' }
    authReplies({ token: await tokenFor(fields), fields })
    const error = await rejection(upload(photo(), config))
    expect(error.message).toBe(`The authentication endpoint returned no "fields.fileName".`)
    expect(uploads).toHaveLength(0)
  })

  it.each([
    ['a UUID (a v1 token)', '5c4c4e0a-3f4a-4c1b-9d7e-2b6f0c1e9a11'],
    ['a payload that is not base64url JSON', 'eyJhbGciOiJIUzI1NiJ9.not*json.c2ln'],
    ['a payload without exp', 'eyJhbGciOiJIUzI1NiJ9.eyJmaWxlTmFtZSI6ImEifQ.c2ln'],
  ])('a token whose payload cannot be read: %s', async (_name, token) => {
    authReplies({ token, fields: { fileName: 'photo.jpg' } })
    const error = await rejection(upload(photo(), config))
    expect(error).toMatchObject({ code: 'auth' })
    expect(error.message).toBe(
      `The authentication endpoint returned a "token" that is not a JWT with an "exp" (its payload cannot be read).`,
    )
    expect(uploads).toHaveLength(0)
  })

  it('a token that has expired', async () => {
    const token = await signUploadJwt({
      publicKey: PUBLIC_KEY,
      privateKey: PRIVATE_KEY,
      fields: {},
      iat: 1_600_000_000,
      exp: 1_600_000_600,
    })
    authReplies({ token, fields: { fileName: 'photo.jpg' } })
    const error = await rejection(upload(photo(), config))
    expect(error.message).toBe(
      `The authentication endpoint returned a "token" that expired (exp 1600000600).`,
    )
  })

  it('a 403 with a message: the backend refused, in its own words and status', async () => {
    authReplies({ message: 'You may not upload into /admin.' }, 403)
    const error = await rejection(upload(photo(), { ...config, folder: '/admin' }))
    expect(error).toMatchObject({ code: 'auth', status: 403, message: 'You may not upload into /admin.' })
    expect(uploads).toHaveLength(0)
  })

  it('a 401 HTML page (a login redirect)', async () => {
    server.use(http.post(AUTH, () => HttpResponse.html('<!DOCTYPE html><p>login</p>', { status: 401 })))
    const error = await rejection(upload(photo(), config))
    expect(error).toMatchObject({ code: 'auth', status: 401 })
    expect(error.message).toBe(
      `The authentication endpoint answered HTTP 401, not the expected JSON: "<!DOCTYPE html><p>login</p>".`,
    )
  })

  it('a 503 keeps its status, so the uploader retries it', async () => {
    server.use(http.post(AUTH, () => HttpResponse.text('busy', { status: 503 })))
    const error = await rejection(upload(photo(), config))
    expect(error).toMatchObject({ code: 'auth', status: 503 })
  })

  it('the endpoint is down: a network error, like v1', async () => {
    server.use(http.post(AUTH, () => HttpResponse.error()))
    const error = await rejection(upload(photo(), config))
    expect(error.code).toBe('network')
    expect(error.message).toBe(
      `The authentication endpoint failed: no answer from the server. Check the connection and try again.`,
    )
  })

  // Fake timers, so no wall clock decides it.
  it('the endpoint does not answer within authTimeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    let asked = () => {}
    const seen = new Promise<void>((resolve) => {
      asked = resolve
    })
    server.use(
      http.post(AUTH, () => {
        asked()
        return delay('infinite')
      }),
    )
    const pending = rejection(upload(photo(), { ...config, authTimeout: 5000 }))
    await seen
    await vi.advanceTimersByTimeAsync(5000)
    const error = await pending
    expect(error).toMatchObject({ code: 'timeout' })
    expect(error.message).toBe(`The authentication endpoint timed out.`)
  })

  it('neither an endpoint nor an authenticator', async () => {
    const error = await rejection(upload(photo(), { signer: signV2, uploadEndpoint: UPLOAD }))
    expect(error).toMatchObject({ code: 'auth', message: 'Set authenticationEndpoint or authenticator.' })
  })

  it('authenticator() throws or returns a v1 reply', async () => {
    const thrown = await rejection(
      upload(photo(), {
        signer: signV2,
        uploadEndpoint: UPLOAD,
        authenticator: () => {
          throw new Error('session expired')
        },
      }),
    )
    expect(thrown).toMatchObject({ code: 'auth', message: 'authenticator() failed: session expired' })
    const v1 = await rejection(
      upload(photo(), {
        signer: signV2,
        uploadEndpoint: UPLOAD,
        authenticator: () => ({ token: 't', expire: 9999999999, signature: 's' }),
      }),
    )
    expect(v1.message).toBe('authenticator() returned no "fields" (an object of the approved upload fields).')
  })
})

describe('the signer steps', () => {
  it('uploadFields gives the wire fields without auth, in wire order', () => {
    expect(
      uploadFields(
        { size: 3, name: 'a.txt' },
        { tags: ['x', 'y'], isPrivateFile: true, customMetadata: { k: 1 }, publicKey: 'k' },
      ),
    ).toEqual({ fileName: 'a.txt', tags: 'x,y', isPrivateFile: 'true', customMetadata: '{"k":1}' })
  })

  it('sendUpload sends a SignedUpload as it is, to its endpoint when uploadEndpoint is unset', async () => {
    server.use(uploadHandler(IMAGEKIT_UPLOAD_V2_ENDPOINT))
    const fields = { fileName: 'b.txt', folder: '/signed' }
    const signed: SignedUpload = {
      fields: { ...fields, token: await tokenFor(fields) },
      expire: 0,
      endpoint: IMAGEKIT_UPLOAD_V2_ENDPOINT,
    }
    const result = await sendUpload(new Blob(['b']), signed, {})
    expect(result.filePath).toBe('/signed/b.txt')
    expect(uploads[0]?.fileName).toBe('b.txt')
  })

  it('signV1 passes the fields to authenticator() and adds publicKey, token, signature, expire', async () => {
    const authenticator = vi.fn((_context: AuthenticatorContext) => ({
      token: 't1',
      expire: 9_999_999_999,
      signature: 's1',
    }))
    const signed = await signV1({ fileName: 'a.txt', folder: '/v1' }, { publicKey: 'pk', authenticator })
    expect(authenticator.mock.calls[0]?.[0]?.fields).toEqual({ fileName: 'a.txt', folder: '/v1' })
    expect(signed.expire).toBe(9_999_999_999)
    expect(signed.endpoint).toBe('https://upload.imagekit.io/api/v1/files/upload')
    expect(Object.keys(signed.fields)).toEqual([
      'fileName',
      'folder',
      'publicKey',
      'token',
      'signature',
      'expire',
    ])
  })
})
