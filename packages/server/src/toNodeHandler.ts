import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FetchHandler } from './corsPolicy'
import type { AuthHandlerOptions } from './createAuthHandler'
import { createAuthHandler } from './createAuthHandler'
import type { V2AuthHandlerOptions } from './createV2AuthHandler'
import { createV2AuthHandler } from './createV2AuthHandler'

/** A Node `http` / Express / Connect handler; `next` (Express) receives errors when given. */
export type NodeHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => Promise<void>

/** The request URL as a `URL`; Express mounts strip their prefix from `req.url` but keep `req.originalUrl`. */
function requestUrl(req: IncomingMessage & { originalUrl?: string }): URL {
  const secure = Boolean((req.socket as { encrypted?: boolean } | undefined)?.encrypted)
  const path = req.originalUrl ?? req.url ?? '/'
  try {
    return new URL(path, `${secure ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`)
  } catch {
    // A malformed Host header must not crash the handler: the path is all a handler needs.
    return new URL(path.startsWith('/') ? path : `/${path}`, 'http://localhost')
  }
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  return headers
}

/**
 * The body as a web stream, for the methods that have one. When a body parser already read it
 * (Express's `express.json()` or `express.text()` mounted before the handler), what it left on
 * `req.body` is passed on instead: a string or bytes as they are, anything else as JSON.
 */
function requestBody(req: IncomingMessage & { body?: unknown }): BodyInit | undefined {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined
  if (req.readableEnded) {
    const parsed = req.body
    if (parsed === undefined) return undefined
    if (typeof parsed === 'string' || parsed instanceof Uint8Array) return parsed as BodyInit
    return JSON.stringify(parsed)
  }
  const chunks = req[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next()
      if (done) controller.close()
      else controller.enqueue(typeof value === 'string' ? new TextEncoder().encode(value) : value)
    },
    async cancel() {
      await chunks.return?.()
    },
  })
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status
  const cookies = response.headers.getSetCookie()
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value)
  })
  if (cookies.length) res.setHeader('set-cookie', cookies)
  if (!response.body) {
    res.end()
    return
  }
  const reader = response.body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      // Respect backpressure: a slow client must not make the whole body pile up in memory.
      if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve))
      if (res.destroyed) break
    }
  } finally {
    reader.releaseLock()
  }
  res.end()
}

/**
 * Adapts a Fetch-API handler to Node's `http` (and so to Express, Connect, Fastify's raw mode):
 * builds a `Request` from `req` (method, URL with `originalUrl`, headers, streamed body, and a
 * signal that aborts when the client goes away) and writes the `Response` to `res`. A handler
 * error goes to Express's `next` when there is one, else becomes a bare 500, never a crash.
 */
export function toNodeHandler(handler: FetchHandler): NodeHandler {
  return async (req, res, next) => {
    const aborter = new AbortController()
    res.once('close', () => {
      if (!res.writableFinished) aborter.abort()
    })
    try {
      const body = requestBody(req)
      const headers = requestHeaders(req)
      // A parsed body sent on again is not the bytes these described.
      if (body !== undefined && !(body instanceof ReadableStream)) {
        headers.delete('content-length')
        headers.delete('transfer-encoding')
      }
      const request = new Request(requestUrl(req), {
        method: req.method ?? 'GET',
        headers,
        signal: aborter.signal,
        ...(body !== undefined && { body, duplex: 'half' }),
      } as RequestInit)
      await writeResponse(await handler(request), res)
    } catch (error) {
      if (next) return next(error)
      if (!res.headersSent) {
        res.statusCode = 500
        res.setHeader('Content-Type', 'application/json; charset=utf-8')
        res.end(JSON.stringify({ message: 'Internal server error.' }))
      } else res.destroy()
    }
  }
}

/** `createAuthHandler` for Node's `http` and Express: `app.get('/auth', createNodeAuthHandler({ privateKey }))`. */
export function createNodeAuthHandler(options: AuthHandlerOptions): NodeHandler {
  return toNodeHandler(createAuthHandler(options))
}

/**
 * `createV2AuthHandler` for Node's `http` and Express:
 * `app.post('/api/imagekit-auth/v2', createNodeV2AuthHandler({ privateKey, publicKey, authorize }))`.
 * It reads the JSON body itself; after `express.json()` it takes the parsed `req.body` instead.
 */
export function createNodeV2AuthHandler(options: V2AuthHandlerOptions): NodeHandler {
  return toNodeHandler(createV2AuthHandler(options))
}
