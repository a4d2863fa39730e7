import { describe, expect, it } from 'vitest'
import { createAuthHandler } from '../createAuthHandler'
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
  })

  it('fails at creation without a private key or with an expireIn the upload API would refuse', () => {
    expect(() => createAuthHandler({ privateKey: '' })).toThrow(/privateKey is required/)
    expect(() => createAuthHandler({ privateKey, expireIn: 3600 })).toThrow(RangeError)
    expect(() => createAuthHandler({ privateKey, expireIn: 0 })).toThrow(RangeError)
    expect(() => createAuthHandler({ privateKey, expireIn: 1.5 })).toThrow(RangeError)
  })
})
