import { describe, expect, it } from 'vitest'
import { type AllowedOrigins, createAuthHandler } from '../createAuthHandler'
import { verifyUploadSignature } from '../verifyUploadSignature'

const privateKey = 'private_test_key'
const get = (headers: Record<string, string> = {}) => new Request('https://app.example/api/auth', { headers })

describe('createAuthHandler', () => {
  it('answers GET with fresh, valid parameters that no cache may keep', async () => {
    const handler = createAuthHandler({ privateKey })
    const response = await handler(get())
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = (await response.json()) as { token: string; expire: number; signature: string }
    expect(Object.keys(body).sort()).toEqual(['expire', 'signature', 'token'])
    expect(await verifyUploadSignature({ privateKey, ...body })).toBe(true)
    const now = Date.now() / 1000
    expect(body.expire).toBeGreaterThan(now + 1790)
    expect(body.expire).toBeLessThanOrEqual(now + 1800)
    const again = (await (await handler(get())).json()) as { token: string }
    expect(again.token).not.toBe(body.token)
  })

  it('uses expireIn for the expiry', async () => {
    const body = (await (await createAuthHandler({ privateKey, expireIn: 60 })(get())).json()) as {
      expire: number
    }
    expect(body.expire).toBeLessThanOrEqual(Date.now() / 1000 + 60)
    expect(body.expire).toBeGreaterThan(Date.now() / 1000 + 50)
  })

  it('never sends the private key', async () => {
    const text = await (await createAuthHandler({ privateKey })(get())).text()
    expect(text).not.toContain(privateKey)
  })

  it('answers other methods with 405 and an Allow header', async () => {
    const response = await createAuthHandler({ privateKey })(
      new Request('https://app.example/auth', { method: 'POST' }),
    )
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET, OPTIONS')
  })

  it('lets authorize() refuse strangers with a 401', async () => {
    const handler = createAuthHandler({
      privateKey,
      authorize: (request) => request.headers.get('authorization') === 'Bearer good',
    })
    const refused = await handler(get())
    expect(refused.status).toBe(401)
    expect(refused.headers.get('cache-control')).toBe('no-store')
    expect(await refused.json()).toEqual({ message: 'Not authorized to upload.' })
    expect((await handler(get({ authorization: 'Bearer good' }))).status).toBe(200)
  })

  it("answers with authorize()'s own Response, and awaits an async authorize", async () => {
    const handler = createAuthHandler({
      privateKey,
      authorize: async () => new Response('go away', { status: 403 }),
    })
    const response = await handler(get())
    expect(response.status).toBe(403)
    expect(await response.text()).toBe('go away')
  })

  it('turns a throwing authorize() into a 500 that leaks nothing', async () => {
    const handler = createAuthHandler({
      privateKey,
      authorize: () => {
        throw new Error('db password is hunter2')
      },
    })
    const response = await handler(get())
    expect(response.status).toBe(500)
    expect(await response.text()).not.toContain('hunter2')
  })

  it('sends no CORS header unless allowedOrigins says so', async () => {
    const response = await createAuthHandler({ privateKey })(get({ origin: 'https://evil.example' }))
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })

  it("allows every origin with '*'", async () => {
    const response = await createAuthHandler({ privateKey, allowedOrigins: '*' })(
      get({ origin: 'https://a.example' }),
    )
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('echoes only listed origins, and varies on Origin', async () => {
    const handler = createAuthHandler({
      privateKey,
      allowedOrigins: ['https://app.example'],
      allowCredentials: true,
    })
    const allowed = await handler(get({ origin: 'https://app.example' }))
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true')
    expect(allowed.headers.get('vary')).toBe('Origin')
    const denied = await handler(get({ origin: 'https://evil.example' }))
    expect(denied.headers.get('access-control-allow-origin')).toBeNull()
    expect(denied.headers.get('vary')).toBe('Origin')
  })

  it('takes a predicate for origins', async () => {
    const handler = createAuthHandler({
      privateKey,
      allowedOrigins: (origin) => origin.endsWith('.app.example'),
    })
    const response = await handler(get({ origin: 'https://preview-1.app.example' }))
    expect(response.headers.get('access-control-allow-origin')).toBe('https://preview-1.app.example')
  })

  it('answers preflights for allowed origins, echoing the requested headers', async () => {
    const handler = createAuthHandler({ privateKey, allowedOrigins: ['https://app.example'] })
    const preflight = new Request('https://app.example/auth', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    })
    const response = await handler(preflight)
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, OPTIONS')
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization')
    expect(response.headers.get('vary')).toBe('Origin, Access-Control-Request-Headers')
  })

  // Issue 9, defect 1: with '*' and allowCredentials any website (or a sandboxed page sending
  // `Origin: null`) got its origin echoed with Access-Control-Allow-Credentials, so it could read
  // tokens minted with the user's cookies.
  it("refuses allowedOrigins '*' with allowCredentials when the handler is created", () => {
    expect(() => createAuthHandler({ privateKey, allowedOrigins: '*', allowCredentials: true })).toThrow(
      /allowedOrigins '\*' cannot be combined with allowCredentials/,
    )
    expect(() =>
      createAuthHandler({ privateKey, allowedOrigins: '*', allowCredentials: false }),
    ).not.toThrow()
  })

  it('refuses allowedOrigins that can only be a mistake when the handler is created', () => {
    const make = (allowedOrigins: unknown) =>
      createAuthHandler({ privateKey, allowedOrigins: allowedOrigins as AllowedOrigins })
    expect(() => make('https://app.example')).toThrow(/for one origin write \["https:\/\/app.example"\]/)
    expect(() => make(['*'])).toThrow(/matches no origin/)
    expect(() => make(['null'])).toThrow(/cannot list 'null'/)
    expect(() => make(['https://app.example/'])).toThrow(/write "https:\/\/app.example"/)
    expect(() => make(['https://App.example'])).toThrow(/write "https:\/\/app.example"/)
    expect(() => make([42])).toThrow(/not an origin/)
    expect(() => make(['https://app.example:8443', 'chrome-extension://abcdef'])).not.toThrow()
  })

  it('grants nothing to Origin: null (not even through a predicate that allows all) or to an unlisted origin, on GET and preflights', async () => {
    const seen: string[] = []
    const allowAll = createAuthHandler({
      privateKey,
      allowedOrigins: (origin) => {
        seen.push(origin)
        return true
      },
      allowCredentials: true,
    })
    const listed = createAuthHandler({
      privateKey,
      allowedOrigins: ['https://app.example'],
      allowCredentials: true,
    })
    for (const [handler, origin] of [
      [allowAll, 'null'],
      [listed, 'null'],
      [listed, 'https://evil.example'],
    ] as const) {
      for (const method of ['GET', 'OPTIONS']) {
        const response = await handler(
          new Request('https://app.example/auth', {
            method,
            headers: {
              origin,
              'access-control-request-method': 'GET',
              'access-control-request-headers': 'authorization',
            },
          }),
        )
        expect(response.status).toBe(method === 'GET' ? 200 : 204)
        expect(response.headers.get('vary')).toBe('Origin')
        for (const name of ['origin', 'credentials', 'methods', 'headers'])
          expect(response.headers.get(`access-control-allow-${name}`)).toBeNull()
      }
    }
    expect(seen).toEqual([])
  })

  it("sends '*' to every caller alike, so it does not vary on Origin", async () => {
    const handler = createAuthHandler({ privateKey, allowedOrigins: '*' })
    for (const origin of [undefined, 'https://a.example', 'null']) {
      const response = await handler(get(origin ? { origin } : {}))
      expect(response.headers.get('access-control-allow-origin')).toBe('*')
      expect(response.headers.get('access-control-allow-credentials')).toBeNull()
      expect(response.headers.get('vary')).toBeNull()
    }
  })

  it("gives authorize()'s own Response the handler's CORS headers and Cache-Control: no-store", async () => {
    const handler = createAuthHandler({
      privateKey,
      allowedOrigins: ['https://app.example'],
      allowCredentials: true,
      authorize: (request) =>
        request.headers.get('x-case') === 'redirect'
          ? // Immutable headers: the handler must copy, not set.
            Response.redirect('https://app.example/login', 302)
          : new Response('{"message":"log in first"}', {
              status: 403,
              headers: {
                'content-type': 'application/json',
                'cache-control': 'public, max-age=600',
                vary: 'Cookie',
                // The app's own wildcard must not widen what allowedOrigins says.
                'access-control-allow-origin': '*',
                'x-app': 'kept',
              },
            }),
    })
    const allowed = await handler(get({ origin: 'https://app.example' }))
    expect(allowed.status).toBe(403)
    expect(await allowed.json()).toEqual({ message: 'log in first' })
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true')
    expect(allowed.headers.get('cache-control')).toBe('no-store')
    expect(allowed.headers.get('vary')).toBe('Cookie, Origin')
    expect(allowed.headers.get('x-app')).toBe('kept')

    const stranger = await handler(get({ origin: 'https://evil.example' }))
    expect(stranger.status).toBe(403)
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull()
    expect(stranger.headers.get('access-control-allow-credentials')).toBeNull()
    expect(stranger.headers.get('cache-control')).toBe('no-store')

    const redirect = await handler(get({ origin: 'https://app.example', 'x-case': 'redirect' }))
    expect(redirect.status).toBe(302)
    expect(redirect.headers.get('location')).toBe('https://app.example/login')
    expect(redirect.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(redirect.headers.get('cache-control')).toBe('no-store')
    expect(redirect.headers.get('vary')).toBe('Origin')
  })

  it('answers 500 when authorize() returns a Response that cannot be sent on', async () => {
    const response = await createAuthHandler({ privateKey, authorize: () => Response.error() })(get())
    expect(response.status).toBe(500)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.json()).toEqual({ message: 'The authorization check failed.' })
  })

  it.each([
    [
      'throws',
      () => {
        throw new Error('origin table is down: secret')
      },
    ],
    ['rejects', async () => Promise.reject(new Error('origin table is down: secret'))],
  ])(
    'answers 500 with a JSON body, for GET and preflights, when the origin predicate %s',
    async (_, predicate) => {
      const handler = createAuthHandler({ privateKey, allowedOrigins: predicate, allowCredentials: true })
      for (const method of ['GET', 'OPTIONS']) {
        const response = await handler(
          new Request('https://app.example/auth', { method, headers: { origin: 'https://app.example' } }),
        )
        expect(response.status).toBe(500)
        expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
        expect(response.headers.get('cache-control')).toBe('no-store')
        expect(response.headers.get('vary')).toBe('Origin')
        expect(response.headers.get('access-control-allow-origin')).toBeNull()
        expect(await response.json()).toEqual({ message: 'The origin check failed.' })
      }
    },
  )

  it('awaits an async origin predicate and allows only on exactly true', async () => {
    const handler = createAuthHandler({
      privateKey,
      allowedOrigins: async (origin) => origin === 'https://app.example',
      allowCredentials: true,
    })
    const allowed = await handler(get({ origin: 'https://app.example' }))
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example')
    const refused = await handler(get({ origin: 'https://evil.example' }))
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
    expect(refused.headers.get('access-control-allow-credentials')).toBeNull()
    const truthy = createAuthHandler({
      privateKey,
      allowedOrigins: (() => 'yes') as unknown as AllowedOrigins,
    })
    expect(
      (await truthy(get({ origin: 'https://evil.example' }))).headers.get('access-control-allow-origin'),
    ).toBeNull()
  })

  it('fails at creation without a private key or with an expireIn the upload API would refuse', () => {
    expect(() => createAuthHandler({ privateKey: '' })).toThrow(/privateKey is required/)
    expect(() => createAuthHandler({ privateKey, expireIn: 3600 })).toThrow(RangeError)
    expect(() => createAuthHandler({ privateKey, expireIn: 0 })).toThrow(RangeError)
    expect(() => createAuthHandler({ privateKey, expireIn: 1.5 })).toThrow(RangeError)
  })
})
