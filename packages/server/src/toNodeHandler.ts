import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AuthHandlerOptions, FetchHandler } from './createAuthHandler'
import { createAuthHandler } from './createAuthHandler'

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

/** The body as a web stream, for the methods that have one, unless a body parser already read it. */
function requestBody(req: IncomingMessage): ReadableStream<Uint8Array> | undefined {
  if (req.method === 'GET' || req.method === 'HEAD' || req.readableEnded) return undefined
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
      const request = new Request(requestUrl(req), {
        method: req.method ?? 'GET',
        headers: requestHeaders(req),
        signal: aborter.signal,
        ...(body && { body, duplex: 'half' }),
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
