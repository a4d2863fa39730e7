import {
  judgeV2UploadFields,
  MAX_JSON_DEPTH,
  V2_PAYLOAD_MISMATCH,
  type V2AuthorizeResult,
} from '@ik-upload/core/protocol'
import { decodeProtectedHeader, jwtVerify } from 'jose'
import { describe, expect, it, vi } from 'vitest'
import { createV2AuthHandler, type V2AuthHandlerOptions } from '../createV2AuthHandler'
import { UploadRefusal } from '../index'

const privateKey = 'private_test_key'
const publicKey = 'public_test_key'
const secret = new TextEncoder().encode(privateKey)

/** A v2 auth request as the client sends it: POST, JSON, `{fields}`. */
const exchange = (fields: unknown, headers: Record<string, string> = {}, body?: BodyInit) =>
  new Request('https://app.example/api/auth/v2', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body ?? JSON.stringify({ fields }),
  })

const make = (options: Partial<V2AuthHandlerOptions> = {}) =>
  createV2AuthHandler({ privateKey, publicKey, ...options })

type Reply = { token: string; fields: Record<string, string> }

/** The upload judge's verdict on sending `fields` + `token`, as the local server and msw judge it. */
const judge = (fields: Record<string, string>, token: string) =>
  judgeV2UploadFields(
    { ...fields, token },
    {
      privateKeyFor: (key) => (key === publicKey ? privateKey : undefined),
      isTokenUsed: () => false,
      markTokenUsed: () => {},
    },
  )

const asked = { fileName: 'cat.jpg', folder: '/mine', tags: 'a,b', isPrivateFile: 'true' }

describe('createV2AuthHandler', () => {
  it('signs exactly the fields sent, in a token that verifies with jose (HS256, kid, payload, iat/exp)', async () => {
    const response = await make()(exchange(asked))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = (await response.json()) as Reply
    expect(Object.keys(body).sort()).toEqual(['fields', 'token'])
    expect(body.fields).toEqual(asked)

    expect(decodeProtectedHeader(body.token)).toEqual({ alg: 'HS256', typ: 'JWT', kid: publicKey })
    const { payload, protectedHeader } = await jwtVerify(body.token, secret, { algorithms: ['HS256'] })
    expect(protectedHeader.alg).toBe('HS256')
    const { iat, exp, ...signed } = payload
    expect(signed).toEqual(asked)
    expect(Number.isInteger(iat)).toBe(true)
    expect(Number.isInteger(exp)).toBe(true)
    expect((exp as number) - (iat as number)).toBe(1800)
    expect(Math.abs((iat as number) - Date.now() / 1000)).toBeLessThan(5)

    const verdict = await judge(body.fields, body.token)
    expect(verdict.ok).toBe(true)
    // A browser that changes a field after signing is refused.
    expect(await judge({ ...body.fields, folder: '/theirs' }, body.token)).toMatchObject({
      ok: false,
      message: V2_PAYLOAD_MISMATCH,
    })
  })

  it('uses expiresIn for the lifetime, and never sends the private key', async () => {
    const response = await make({ expiresIn: 60 })(exchange({ fileName: 'a.txt' }))
    const text = await response.text()
    expect(text).not.toContain(privateKey)
    const { payload } = await jwtVerify((JSON.parse(text) as Reply).token, secret)
    expect((payload.exp as number) - (payload.iat as number)).toBe(60)
  })

  it("signs authorize()'s rewrite, not what the client asked for: a forced folder and an added tag win", async () => {
    const seen: unknown[] = []
    const handler = make({
      authorize: (request, fields) => {
        seen.push([request.headers.get('x-user'), { ...fields }])
        return { ...fields, folder: '/users/42', tags: `${fields.tags},signed`, isPrivateFile: undefined }
      },
    })
    const body = (await (await handler(exchange(asked, { 'x-user': '42' }))).json()) as Reply
    const approved = { fileName: 'cat.jpg', folder: '/users/42', tags: 'a,b,signed' }
    expect(seen).toEqual([['42', asked]])
    expect(body.fields).toEqual(approved)
    const { payload } = await jwtVerify(body.token, secret)
    const { iat: _iat, exp: _exp, ...signed } = payload
    expect(signed).toEqual(approved)
    expect((await judge(approved, body.token)).ok).toBe(true)
    // The folder the browser asked for does not match the token.
    expect((await judge({ ...approved, folder: '/mine' }, body.token)).ok).toBe(false)
  })

  it.each<[string, V2AuthorizeResult]>([
    ['true', true],
    ['undefined', undefined],
  ])('approves the fields as sent when authorize() returns %s', async (_, verdict) => {
    const body = (await (await make({ authorize: () => verdict })(exchange(asked))).json()) as Reply
    expect(body.fields).toEqual(asked)
  })

  it('answers 403 when authorize() refuses with false, and with the message of a thrown UploadRefusal', async () => {
    const refused = await make({ authorize: async () => false })(exchange(asked))
    expect(refused.status).toBe(403)
    expect(refused.headers.get('cache-control')).toBe('no-store')
    expect(await refused.json()).toEqual({ message: 'Not authorized to upload with these fields.' })

    const told = await make({
      authorize: (_, fields) => {
        if (fields.isPrivateFile !== 'false')
          throw new UploadRefusal('Only public files may be uploaded here.')
      },
    })(exchange(asked))
    expect(told.status).toBe(403)
    expect(await told.json()).toEqual({ message: 'Only public files may be uploaded here.' })

    // An UploadRefusal from a second copy of the module (two versions installed) is told too.
    const copy = Object.assign(new Error('Not in that folder.'), { name: 'UploadRefusal' })
    const fromCopy = await make({
      authorize: () => {
        throw copy
      },
    })(exchange(asked))
    expect(fromCopy.status).toBe(403)
    expect(await fromCopy.json()).toEqual({ message: 'Not in that folder.' })
  })

  it('answers 500 that leaks nothing when authorize() throws anything but an UploadRefusal', async () => {
    const response = await make({
      authorize: () => {
        throw new Error('db password is hunter2')
      },
    })(exchange(asked))
    expect(response.status).toBe(500)
    const text = await response.text()
    expect(text).not.toContain('hunter2')
    expect(JSON.parse(text)).toEqual({ message: 'The authorization check failed.' })
  })

  it('answers 500 naming the fields when authorize() approves what cannot be signed', async () => {
    const handler = make({
      authorize: (_, fields) => ({ ...fields, isPrivateFile: true }) as unknown as Record<string, string>,
    })
    const response = await handler(exchange(asked))
    expect(response.status).toBe(500)
    expect(((await response.json()) as { message: string }).message).toMatch(
      /approved fields that cannot be signed.*not a string: isPrivateFile/,
    )
  })

  it("sends authorize()'s own Response with the handler's CORS headers", async () => {
    const handler = make({
      allowedOrigins: ['https://app.example'],
      authorize: () => new Response('{"message":"log in first"}', { status: 401 }),
    })
    const response = await handler(exchange(asked, { origin: 'https://app.example' }))
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ message: 'log in first' })
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it.each([
    ['not JSON', '{"fields": {', /must be JSON \{"fields": \{\.\.\.\}\}/],
    ['JSON without fields', '{"fileName": "a.jpg"}', /must be JSON \{"fields"/],
    ['fields as an array', '{"fields": ["a.jpg"]}', /must be JSON \{"fields"/],
    ['fields as null', '{"fields": null}', /must be JSON \{"fields"/],
    ['not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), /must be JSON/],
    [
      'non-string values',
      JSON.stringify({ fields: { fileName: 'a.jpg', isPrivateFile: true, tags: ['a'], folder: '/x' } }),
      /must be a string.*not a string: isPrivateFile, tags\.$/,
    ],
    [
      'fields that cannot be signed',
      JSON.stringify({
        fields: { fileName: 'a.jpg', token: 't', publicKey: 'p', signature: 's', expire: '1' },
      }),
      /cannot be signed: token, publicKey, signature, expire\./,
    ],
    [
      'a file',
      JSON.stringify({ fields: { fileName: 'a.jpg', file: 'data:,hi' } }),
      /cannot be signed: file\./,
    ],
    [
      'claims',
      JSON.stringify({ fields: { fileName: 'a.jpg', iat: '1', exp: '2' } }),
      /cannot be signed: iat, exp\./,
    ],
    ['__proto__', '{"fields": {"fileName": "a.jpg", "__proto__": "x"}}', /cannot be signed: __proto__\./],
    [
      `nesting deeper than ${MAX_JSON_DEPTH}`,
      `{"fields": {"customMetadata": ${'['.repeat(40)}${']'.repeat(40)}}}`,
      new RegExp(`nests deeper than ${MAX_JSON_DEPTH} levels`),
    ],
  ])('answers 400 for a body with %s, naming the problem', async (_, body, message) => {
    let asked = false
    const handler = make({
      authorize: () => {
        asked = true
        return true
      },
    })
    const response = await handler(exchange(undefined, {}, body as BodyInit))
    expect(response.status).toBe(400)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(((await response.json()) as { message: string }).message).toMatch(message)
    expect(asked).toBe(false)
  })

  it('answers 400 for a body over maxBodySize without reading on, and takes one at the limit', async () => {
    const handler = make({ maxBodySize: 100 })
    const fits = JSON.stringify({ fields: { fileName: 'a'.repeat(100 - 26) } })
    expect(new TextEncoder().encode(fits).length).toBe(100)
    expect((await handler(exchange(undefined, {}, fits))).status).toBe(200)

    let pulled = 0
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        controller.enqueue(new TextEncoder().encode(' '.repeat(64)))
      },
    })
    const request = new Request('https://app.example/api/auth/v2', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: endless,
      duplex: 'half',
    } as RequestInit)
    const response = await handler(request)
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      message: 'The request body is too large: at most 100 bytes of fields may be signed.',
    })
    expect(pulled).toBeLessThan(10)
  })

  it('has a 64 KiB body limit by default', async () => {
    const big = JSON.stringify({ fields: { fileName: 'a.jpg', description: 'x'.repeat(64 * 1024) } })
    const response = await make()(exchange(undefined, {}, big))
    expect(response.status).toBe(400)
    expect(((await response.json()) as { message: string }).message).toMatch(/at most 65536 bytes/)
  })

  it('answers 415 for a body that is not sent as JSON (a form could skip the CORS preflight)', async () => {
    const response = await make()(exchange(asked, { 'content-type': 'text/plain' }))
    expect(response.status).toBe(415)
    expect(await response.json()).toEqual({
      message: 'Send the fields as JSON, with Content-Type: application/json.',
    })
    expect(
      (await make()(exchange(asked, { 'content-type': 'application/json; charset=utf-8' }))).status,
    ).toBe(200)
  })

  it('answers other methods with 405 and an Allow header', async () => {
    const response = await make()(new Request('https://app.example/api/auth/v2'))
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST, OPTIONS')
    expect(await response.json()).toEqual({ message: 'Method GET not allowed; use POST.' })
  })

  it('gives every request its own token, even for the same fields in the same second, and the upload judge takes each once', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 30, 12, 0, 0, 250), toFake: ['Date'] })
    try {
      const handler = make()
      const replies = await Promise.all(
        [1, 2, 3].map(async () => (await (await handler(exchange(asked))).json()) as Reply),
      )
      const tokens = new Set(replies.map((reply) => reply.token))
      expect(tokens.size).toBe(3)
      const used = new Set<string>()
      for (const { token, fields } of replies) {
        const { payload } = await jwtVerify(token, secret, { currentDate: new Date() })
        expect((payload.exp as number) - (payload.iat as number)).toBeGreaterThan(1790)
        const verdict = await judgeV2UploadFields(
          { ...fields, token },
          {
            privateKeyFor: () => privateKey,
            isTokenUsed: (seen) => used.has(seen),
            markTokenUsed: (seen) => void used.add(seen),
          },
        )
        expect(verdict.ok).toBe(true)
      }
    } finally {
      vi.useRealTimers()
    }
  })

  describe('CORS, as createAuthHandler', () => {
    it('sends no CORS header without allowedOrigins', async () => {
      const response = await make()(exchange(asked, { origin: 'https://evil.example' }))
      expect(response.headers.get('access-control-allow-origin')).toBeNull()
    })

    it('echoes listed origins with credentials, varies on Origin, and grants nothing to others or to Origin: null', async () => {
      const handler = make({ allowedOrigins: ['https://app.example'], allowCredentials: true })
      const allowed = await handler(exchange(asked, { origin: 'https://app.example' }))
      expect(allowed.status).toBe(200)
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example')
      expect(allowed.headers.get('access-control-allow-credentials')).toBe('true')
      expect(allowed.headers.get('vary')).toBe('Origin')
      for (const origin of ['https://evil.example', 'null']) {
        const denied = await handler(exchange(asked, { origin }))
        expect(denied.headers.get('access-control-allow-origin')).toBeNull()
        expect(denied.headers.get('access-control-allow-credentials')).toBeNull()
        expect(denied.headers.get('vary')).toBe('Origin')
      }
    })

    it('puts the CORS headers on refusals too, so the page can read why', async () => {
      const handler = make({ allowedOrigins: ['https://app.example'], authorize: () => false })
      const refused = await handler(exchange(asked, { origin: 'https://app.example' }))
      expect(refused.status).toBe(403)
      expect(refused.headers.get('access-control-allow-origin')).toBe('https://app.example')
      const bad = await handler(exchange(undefined, { origin: 'https://app.example' }, '{'))
      expect(bad.status).toBe(400)
      expect(bad.headers.get('access-control-allow-origin')).toBe('https://app.example')
    })

    it('answers preflights for allowed origins with POST and the requested Content-Type', async () => {
      const handler = make({ allowedOrigins: (origin) => origin === 'https://app.example' })
      const preflight = (origin: string) =>
        handler(
          new Request('https://app.example/api/auth/v2', {
            method: 'OPTIONS',
            headers: {
              origin,
              'access-control-request-method': 'POST',
              'access-control-request-headers': 'content-type,authorization',
            },
          }),
        )
      const response = await preflight('https://app.example')
      expect(response.status).toBe(204)
      expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example')
      expect(response.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS')
      expect(response.headers.get('access-control-allow-headers')).toBe('content-type,authorization')
      expect(response.headers.get('access-control-max-age')).toBe('600')
      expect(response.headers.get('allow')).toBe('POST, OPTIONS')
      const stranger = await preflight('https://evil.example')
      expect(stranger.status).toBe(204)
      expect(stranger.headers.get('access-control-allow-origin')).toBeNull()
      expect(stranger.headers.get('access-control-allow-methods')).toBeNull()
    })

    it("sends '*' to every caller alike", async () => {
      const response = await make({ allowedOrigins: '*' })(exchange(asked, { origin: 'https://a.example' }))
      expect(response.headers.get('access-control-allow-origin')).toBe('*')
      expect(response.headers.get('vary')).toBeNull()
    })

    it('answers 500 without a grant when the origin predicate throws', async () => {
      const handler = make({
        allowedOrigins: () => {
          throw new Error('secret')
        },
      })
      const response = await handler(exchange(asked, { origin: 'https://app.example' }))
      expect(response.status).toBe(500)
      expect(await response.json()).toEqual({ message: 'The origin check failed.' })
      expect(response.headers.get('access-control-allow-origin')).toBeNull()
    })
  })

  it('fails at creation without keys, with a lifetime over an hour, a bad body limit or unsafe CORS options', () => {
    expect(() => createV2AuthHandler({ privateKey: '', publicKey })).toThrow(/privateKey is required/)
    expect(() => createV2AuthHandler({ privateKey, publicKey: '' })).toThrow(/publicKey is required/)
    expect(() => make({ expiresIn: 3601 })).toThrow(
      /expiresIn must be a whole number of seconds from 1 to 3600/,
    )
    expect(() => make({ expiresIn: 0 })).toThrow(RangeError)
    expect(() => make({ expiresIn: 3600 })).not.toThrow()
    expect(() => make({ maxBodySize: 0 })).toThrow(/maxBodySize/)
    expect(() => make({ allowedOrigins: '*', allowCredentials: true })).toThrow(
      /createV2AuthHandler: allowedOrigins '\*' cannot be combined with allowCredentials/,
    )
    expect(() => make({ allowedOrigins: ['https://app.example/'] })).toThrow(/write "https:\/\/app.example"/)
  })
})
