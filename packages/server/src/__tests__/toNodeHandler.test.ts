import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createNodeAuthHandler, createNodeV2AuthHandler, toNodeHandler } from '../toNodeHandler'
import { verifyUploadSignature } from '../verifyUploadSignature'

let server: Server | undefined

async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(listener)
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve))
  server = undefined
})

describe('toNodeHandler', () => {
  it('serves the auth endpoint on node:http', async () => {
    const privateKey = 'node_private'
    const url = await listen(createNodeAuthHandler({ privateKey }))
    const response = await fetch(`${url}/auth`)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const body = (await response.json()) as { token: string; expire: number; signature: string }
    expect(await verifyUploadSignature({ privateKey, ...body })).toBe(true)
  })

  it("passes Express's originalUrl, method, headers and body through to the Fetch handler", async () => {
    let seen: { url: string; method: string; header: string | null; body: string } | undefined
    const handler = toNodeHandler(async (request) => {
      seen = {
        url: request.url,
        method: request.method,
        header: request.headers.get('x-app'),
        body: await request.text(),
      }
      const headers = new Headers({ 'x-out': 'yes' })
      headers.append('set-cookie', 'a=1')
      headers.append('set-cookie', 'b=2')
      return new Response('done', { status: 201, headers })
    })
    // What an Express mount at /api does: req.url loses the prefix, req.originalUrl keeps it.
    const url = await listen((req, res) => {
      Object.assign(req, { originalUrl: req.url, url: (req.url ?? '').replace(/^\/api/, '') })
      void handler(req, res)
    })
    const response = await fetch(`${url}/api/auth?x=1`, {
      method: 'POST',
      headers: { 'x-app': 'demo' },
      body: 'hello',
    })
    expect(response.status).toBe(201)
    expect(await response.text()).toBe('done')
    expect(response.headers.get('x-out')).toBe('yes')
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(seen).toEqual({
      url: expect.stringMatching(/\/api\/auth\?x=1$/),
      method: 'POST',
      header: 'demo',
      body: 'hello',
    })
  })

  it("hands a handler's error to Express's next()", async () => {
    const failure = new Error('boom')
    let passed: unknown
    const handler = toNodeHandler(async () => {
      throw failure
    })
    const url = await listen((req, res) => {
      void handler(req, res, (error) => {
        passed = error
        res.statusCode = 502
        res.end()
      })
    })
    expect((await fetch(url)).status).toBe(502)
    expect(passed).toBe(failure)
  })

  it('answers a bare 500 without next(), and the server lives on', async () => {
    const handler = toNodeHandler(async () => {
      throw new Error('boom')
    })
    const url = await listen((req, res) => void handler(req, res))
    const response = await fetch(url)
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({ message: 'Internal server error.' })
    expect((await fetch(url)).status).toBe(500)
  })

  // Issue 9, defect 1: a failing origin predicate used to escape the auth handler, reaching
  // Express's error page through next() (or an unhandled rejection in Fetch frameworks).
  it("answers a failing allowedOrigins predicate with the auth handler's own JSON 500, not next()", async () => {
    let passed = false
    const handler = createNodeAuthHandler({
      privateKey: 'node_private',
      allowedOrigins: async () => {
        throw new Error('origin table is down')
      },
    })
    const url = await listen((req, res) => {
      void handler(req, res, () => {
        passed = true
        res.statusCode = 502
        res.end()
      })
    })
    const response = await fetch(`${url}/auth`, { headers: { origin: 'https://app.example' } })
    expect(response.status).toBe(500)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('vary')).toBe('Origin')
    expect(await response.json()).toEqual({ message: 'The origin check failed.' })
    expect(passed).toBe(false)
  })

  it('serves the v2 exchange on node:http: the JSON body in, the approved fields and their token out', async () => {
    const url = await listen(
      createNodeV2AuthHandler({
        privateKey: 'node_private',
        publicKey: 'node_public',
        authorize: (_, fields) => ({ ...fields, folder: '/forced' }),
      }),
    )
    const response = await fetch(`${url}/auth/v2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { fileName: 'a.jpg', folder: '/asked' } }),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = (await response.json()) as { token: string; fields: Record<string, string> }
    expect(body.fields).toEqual({ fileName: 'a.jpg', folder: '/forced' })
    const payload = JSON.parse(Buffer.from(body.token.split('.')[1] ?? '', 'base64url').toString())
    expect(payload).toMatchObject({ fileName: 'a.jpg', folder: '/forced' })
  })

  it('takes the body a parser already read (express.json() before the handler) from req.body', async () => {
    const handler = createNodeV2AuthHandler({ privateKey: 'node_private', publicKey: 'node_public' })
    const url = await listen(async (req, res) => {
      // What express.json() does: reads the stream and leaves the parsed value on req.body.
      let text = ''
      for await (const chunk of req) text += chunk
      Object.assign(req, { body: JSON.parse(text) })
      void handler(req, res)
    })
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Spaces the re-encoded body does not have: a stale Content-Length would cut or stall it.
      body: JSON.stringify({ fields: { fileName: 'b.jpg' } }, null, 8),
    })
    expect(response.status).toBe(200)
    expect(((await response.json()) as { fields: unknown }).fields).toEqual({ fileName: 'b.jpg' })
  })
})
