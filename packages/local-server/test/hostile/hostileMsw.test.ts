import { HELP, tokenUsed } from '@ik-upload/core/protocol'
import { uploadHandlers } from '@ik-upload/msw'
import { createAuthHandler } from '@ik-upload/server'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_PRIVATE_KEY, TEST_PUBLIC_KEY } from '../helpers'
import {
  type Auth,
  fieldRows,
  form,
  freshAuth,
  HOSTILE_MAX_FILE_SIZE,
  LOCAL_ONLY_FIELD_ROWS,
  type RowAnswer,
  type RowContext,
} from './hostileRows'
import { multipart, multipartType } from './support'

// The standing hostile suite against the msw handlers and `@ik-upload/server`'s auth handler: the
// same field rows as the local server (same protocol code, so the same answers), then hostile
// requests to the auth endpoint. Everything runs in memory through msw's `setupServer`.

const UPLOAD = 'https://upload.hostile.test/api/v1/files/upload'
const UPLOAD_V2 = 'https://upload.hostile.test/api/v2/files/upload'
const AUTH = 'https://app.hostile.test/api/auth'
const AUTH_OPEN_PREDICATE_FAILS = 'https://app.hostile.test/api/auth-predicate'
const AUTH_AUTHORIZE_FAILS = 'https://app.hostile.test/api/auth-authorize'
const APP = 'https://app.example'

const mock = uploadHandlers({
  publicKey: TEST_PUBLIC_KEY,
  privateKey: TEST_PRIVATE_KEY,
  uploadEndpoint: UPLOAD,
  maxFileSize: HOSTILE_MAX_FILE_SIZE,
})

/** An auth endpoint as an app would set one up: its origin only, with cookies, behind a session check. */
const auth = createAuthHandler({
  privateKey: TEST_PRIVATE_KEY,
  allowedOrigins: [APP],
  allowCredentials: true,
  authorize: (request) => request.headers.get('cookie') === 'session=ok',
})
const predicateFails = createAuthHandler({
  privateKey: TEST_PRIVATE_KEY,
  allowedOrigins: () => {
    throw new Error('origin store down')
  },
})
const authorizeFails = createAuthHandler({
  privateKey: TEST_PRIVATE_KEY,
  authorize: () => {
    throw new Error('session store down')
  },
})

const server = setupServer(
  ...mock.handlers,
  http.all(AUTH, ({ request }) => auth(request)),
  http.all(AUTH_OPEN_PREDICATE_FAILS, ({ request }) => predicateFails(request)),
  http.all(AUTH_AUTHORIZE_FAILS, ({ request }) => authorizeFails(request)),
  http.all('*', () => HttpResponse.json({ message: 'unexpected request' }, { status: 599 })),
)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

let requests = 0
const accepted: Auth[] = []

const ctx: RowContext = {
  post: async (parts, options = {}) => {
    requests++
    const response = await fetch(options.v2 ? UPLOAD_V2 : UPLOAD, {
      method: 'POST',
      headers: { 'content-type': multipartType(), ...options.headers },
      body: new Uint8Array(multipart(parts)),
    })
    const answer: RowAnswer = { status: response.status, body: await response.json() }
    if (answer.status === 200 && !options.v2) {
      const fields: Record<string, string> = {}
      for (const part of parts) if (part.filename === undefined) fields[part.name] ??= String(part.value)
      accepted.push(fields as Auth)
    }
    return answer
  },
}

describe('the msw handlers judge the hostile field rows like the local server', () => {
  for (const row of fieldRows.filter((candidate) => !LOCAL_ONLY_FIELD_ROWS.has(candidate.name))) {
    it.skipIf(Boolean(row.pending?.()))(row.name, async () => {
      const authFields = await freshAuth()
      const answer = await row.send(ctx, authFields)
      expect(answer.status, row.name).toBe(row.status)
      if (row.message) expect(answer.body, row.name).toEqual({ message: row.message(authFields), help: HELP })
      if (row.accepted) row.accepted(answer.body as Record<string, unknown>)
    })
  }

  it('accepts no replay of an accepted token, and stored exactly the accepted uploads', async () => {
    const stored = new Set([...mock.files.values()].map((file) => file.filePath))
    expect(stored.size).toBeGreaterThan(0)
    for (const fields of accepted.splice(0)) {
      const replay = await ctx.post(form(fields))
      expect({ status: replay.status, body: replay.body }).toEqual({
        status: 400,
        body: { message: tokenUsed(fields.token), help: HELP },
      })
    }
    expect(new Set([...mock.files.values()].map((file) => file.filePath))).toEqual(stored)
  })
})

/** A request to an auth endpoint; answers its status, JSON body and the headers that matter. */
async function callAuth(url: string, init: RequestInit = {}) {
  requests++
  const response = await fetch(url, init)
  const text = await response.text()
  return {
    status: response.status,
    body: text ? JSON.parse(text) : null,
    allowOrigin: response.headers.get('access-control-allow-origin'),
    allowCredentials: response.headers.get('access-control-allow-credentials'),
    vary: response.headers.get('vary'),
    cacheControl: response.headers.get('cache-control'),
  }
}

describe("@ik-upload/server's auth handler under hostile requests", () => {
  it('refuses to be created with allowedOrigins * and credentials', () => {
    expect(() =>
      createAuthHandler({ privateKey: TEST_PRIVATE_KEY, allowedOrigins: '*', allowCredentials: true }),
    ).toThrow(/allowedOrigins '\*' cannot be combined with allowCredentials/)
  })

  it.each([
    ['another site, with the cookie', 'https://evil.example'],
    ['Origin: null (a sandboxed iframe), with the cookie', 'null'],
    ['a look-alike origin', 'https://app.example.evil.example'],
    ['the origin in capitals', 'https://APP.EXAMPLE'],
    ['the origin with a trailing slash', 'https://app.example/'],
  ])('signs for %s but never lets its page read the answer', async (_, origin) => {
    const answer = await callAuth(AUTH, { headers: { origin, cookie: 'session=ok' } })
    expect(answer).toMatchObject({
      status: 200,
      allowOrigin: null,
      allowCredentials: null,
      vary: 'Origin',
      cacheControl: 'no-store',
    })
  })

  it('answers 401 without a session, readable by the app only', async () => {
    expect(await callAuth(AUTH, { headers: { origin: APP } })).toEqual({
      status: 401,
      body: { message: 'Not authorized to upload.' },
      allowOrigin: APP,
      allowCredentials: 'true',
      vary: 'Origin',
      cacheControl: 'no-store',
    })
  })

  it('answers a method other than GET with 405', async () => {
    const answer = await callAuth(AUTH, { method: 'POST', headers: { origin: APP, cookie: 'session=ok' } })
    expect(answer).toMatchObject({ status: 405, body: { message: 'Method POST not allowed; use GET.' } })
  })

  it('answers a preflight from another site without CORS headers', async () => {
    const answer = await callAuth(AUTH, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    })
    expect(answer).toMatchObject({ status: 204, allowOrigin: null })
  })

  it('answers 500 without details when the origin predicate throws', async () => {
    expect(await callAuth(AUTH_OPEN_PREDICATE_FAILS, { headers: { origin: APP } })).toMatchObject({
      status: 500,
      body: { message: 'The origin check failed.' },
      allowOrigin: null,
    })
  })

  it('answers 500 without details when authorize() throws', async () => {
    expect(await callAuth(AUTH_AUTHORIZE_FAILS)).toMatchObject({
      status: 500,
      body: { message: 'The authorization check failed.' },
    })
  })

  it('gives the app fresh, single-use parameters: one upload each, a replay refused', async () => {
    const first = await callAuth(AUTH, { headers: { origin: APP, cookie: 'session=ok' } })
    const second = await callAuth(AUTH, { headers: { origin: APP, cookie: 'session=ok' } })
    expect(first).toMatchObject({
      status: 200,
      allowOrigin: APP,
      allowCredentials: 'true',
      cacheControl: 'no-store',
    })
    expect(first.body.token).not.toBe(second.body.token)
    const fields = {
      publicKey: TEST_PUBLIC_KEY,
      token: first.body.token,
      expire: String(first.body.expire),
      signature: first.body.signature,
    }
    expect((await ctx.post(form(fields))).status).toBe(200)
    const replay = await ctx.post(form(fields))
    expect(replay.body).toEqual({ message: tokenUsed(first.body.token), help: HELP })
    accepted.length = 0
  })

  it('sent a hostile request for every row', () => {
    expect(requests).toBeGreaterThan(100)
  })
})
