import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { join, resolve } from 'node:path'
import { DEFAULT_MAX_FIELDS_SIZE, DEFAULT_MAX_FILE_SIZE, FILE_URL_TIMEOUT_MS } from '@ik-upload/core/protocol'
import { createAuthHandler, createV2AuthHandler, type V2Authorize } from '@ik-upload/server'
import { toNodeHandler } from '@ik-upload/server/node'
import { FileStore } from './FileStore'
import { handleDelivery } from './handleDelivery'
import { handleUpload, type UploadContext } from './handleUpload'
import { type DeliveryOptions, ImageRenderer } from './ImageRenderer'
import { loadDevKeys } from './loadDevKeys'
import { logNotes, sendJson } from './sendJson'

/** What `startLocalServer` takes. Every option has a CLI flag and an env var (see the README). */
export interface LocalServerOptions {
  /** TCP port; `0` picks a free one (tests). @default 4010 */
  port?: number
  /** Interface to listen on. Keep the loopback default unless other machines must upload: the auth endpoint signs for anyone who can reach it. @default '127.0.0.1' */
  host?: string
  /** The data folder: files, SQLite database and dev keys. Created when missing. @default '.ik-data' */
  dataDir?: string
  /** The account's public key. @default generated on first start and kept in `<dataDir>/keys.json` */
  publicKey?: string
  /** The account's private key; give it together with `publicKey`. @default generated with the public key */
  privateKey?: string
  /** Largest file accepted, in bytes. @default 26214400 (25 MB, the hosted free plan's limit) */
  maxFileSize?: number
  /**
   * Most bytes the text fields of one upload request may hold in total, names and values, the
   * `file` field aside. Counted as they arrive: one byte past it, the request is refused with a 400
   * and no more of it is read, so no client can make the server hold more. @default 2097152 (2 MiB)
   */
  maxFieldsSize?: number
  /** Milliseconds a client gets to send a request's headers; then 408 and the connection is closed. @default 30000 */
  headersTimeoutMs?: number
  /** Milliseconds a client gets to send a whole request, body included; then 408 and the connection is closed. @default 300000 (5 minutes) */
  requestTimeoutMs?: number
  /**
   * Milliseconds a connection may stay silent while a request body is coming in (a stalled
   * upload) or while an answer goes out (a client that stops reading); then it is destroyed, and
   * a cut upload's temp file removed. Time the server itself spends working on a request (a URL
   * download, an image render) does not count. @default 30000
   */
  idleTimeoutMs?: number
  /** Milliseconds an idle keep-alive connection stays open between requests. @default 5000 */
  keepAliveTimeoutMs?: number
  /** Download `file` URLs that resolve to loopback or private addresses (tests, a trusted LAN). @default false */
  allowPrivateUrls?: boolean
  /** Milliseconds a `file` URL gets to answer with headers (and at most between two body chunks). @default 8000 */
  urlTimeoutMs?: number
  /** The server's public base URL when it is reached through a proxy or another host name. @default `http://<host>:<port>` */
  publicUrl?: string
  /** Called once per finished request (the CLI prints these). @default none */
  onRequest?: (entry: RequestLogEntry) => void
  /** Delivery's render limits and render cache (see `DeliveryOptions`). @default each option's own */
  delivery?: DeliveryOptions
  /**
   * What the v2 auth endpoint (`/auth/v2`) does with the fields before signing them, as
   * `@ik-upload/server`'s `createV2AuthHandler` `authorize`: e.g.
   * `(request, fields) => ({ ...fields, folder: '/from-backend' })` plays a backend that forces a
   * folder, so a test can check the stored file has the backend's folder, not the page's.
   * @default every request signed as sent
   */
  authorizeV2?: V2Authorize
}

/** One line of the request log. */
export interface RequestLogEntry {
  method: string
  path: string
  status: number
  /** Milliseconds from the request's start to the end of its answer (or its cut). */
  ms: number
  /** Bytes read from the connection for this request, headers included. */
  bytesRead: number
  requestId: string
  /** Why it failed, when the server knows more than it tells the client. */
  note?: string
}

/** A running local server. */
export interface LocalServer {
  /** The base URL, e.g. `http://127.0.0.1:4010`. */
  url: string
  /** v1 upload URL: `<url>/api/v1/files/upload`. */
  uploadEndpoint: string
  /** v2 (JWT) upload URL: `<url>/api/v2/files/upload`. */
  uploadEndpointV2: string
  /** The auth endpoint (`GET`), for `authenticationEndpoint`: `<url>/auth`. */
  authEndpoint: string
  /** The v2 auth endpoint (`POST {fields}` → `{token, fields}`), for `authenticationEndpoint` with the v2 signer: `<url>/auth/v2`. */
  authEndpointV2: string
  /** The delivery base: `<url>/ik`; a file is at `urlEndpoint + filePath`. */
  urlEndpoint: string
  publicKey: string
  /** Exposed for tests and server-side code that signs JWTs or URLs; never send it to a browser. */
  privateKey: string
  /** Absolute path of the data folder. */
  dataDir: string
  /** True when this start generated the keys. */
  keysCreated: boolean
  /** Stops accepting, cuts open connections (in-flight uploads leave nothing behind), closes the database. */
  close(): Promise<void>
}

/** Paths of the server. */
export const UPLOAD_PATH_V1 = '/api/v1/files/upload'
export const UPLOAD_PATH_V2 = '/api/v2/files/upload'
export const AUTH_PATH = '/auth'
export const AUTH_V2_PATH = '/auth/v2'
export const DELIVERY_PREFIX = '/ik'

/** The answers to a request Node's HTTP parser refused before any handler saw it (ours). */
const CLIENT_ERRORS: Record<string, { status: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: '408 Request Timeout', message: 'The request did not arrive in time.' },
  HPE_HEADER_OVERFLOW: {
    status: '431 Request Header Fields Too Large',
    message: 'The request headers are too large.',
  },
}
const BAD_REQUEST = { status: '400 Bad Request', message: 'The request is not valid HTTP/1.1.' }

/** Lingering time for a connection after the raw answer to a client error, before it is destroyed. */
const CLIENT_ERROR_LINGER_MS = 1000

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive whole number, got ${value}.`)
  return value
}

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'x-request-id, x-ik-requestid, ETag, Content-Range',
}

/** Runs the app's log callback; a throwing logger must not become an unhandled rejection. */
function logSafely(onRequest: (entry: RequestLogEntry) => void, entry: RequestLogEntry): void {
  try {
    onRequest(entry)
  } catch {}
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

/**
 * Starts the local ImageKit-compatible upload server and resolves once it listens. Routes:
 * `POST /api/v1/files/upload`, `POST /api/v2/files/upload`, `GET /auth`, `POST /auth/v2`, `GET|HEAD /ik/<filePath>`,
 * `GET /` (the endpoints and public key as JSON); `OPTIONS` anywhere answers CORS preflights.
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const {
    port = 4010,
    host = '127.0.0.1',
    maxFileSize = DEFAULT_MAX_FILE_SIZE,
    allowPrivateUrls = false,
    urlTimeoutMs = FILE_URL_TIMEOUT_MS,
    maxFieldsSize = DEFAULT_MAX_FIELDS_SIZE,
    requestTimeoutMs = 300_000,
    idleTimeoutMs = 30_000,
    keepAliveTimeoutMs = 5000,
    onRequest,
  } = options
  if (!Number.isSafeInteger(maxFileSize) || maxFileSize < 1)
    throw new RangeError(`maxFileSize must be a positive number of bytes, got ${maxFileSize}.`)
  positiveInteger('maxFieldsSize', maxFieldsSize)
  positiveInteger('requestTimeoutMs', requestTimeoutMs)
  positiveInteger('idleTimeoutMs', idleTimeoutMs)
  positiveInteger('keepAliveTimeoutMs', keepAliveTimeoutMs)
  // Node requires the headers' deadline to be within the whole request's.
  const headersTimeoutMs = Math.min(
    positiveInteger('headersTimeoutMs', options.headersTimeoutMs ?? 30_000),
    requestTimeoutMs,
  )
  const dataDir = resolve(options.dataDir ?? '.ik-data')
  mkdirSync(dataDir, { recursive: true })
  const keys = loadDevKeys(dataDir, options)
  // Opening the render cache removes the temp files a killed server left in it.
  const renderer = new ImageRenderer(join(dataDir, 'cache'), options.delivery)
  const store = new FileStore(dataDir)

  const upload: UploadContext = {
    store,
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
    maxFileSize,
    maxFieldsSize,
    allowPrivateUrls,
    urlTimeoutMs,
    // Known once the port is; set before the first request can arrive.
    urlEndpoint: '',
  }
  // A dev server's auth endpoint: open to every origin, as the demo and tests run on other ports.
  const auth = toNodeHandler(createAuthHandler({ privateKey: keys.privateKey, allowedOrigins: '*' }))
  const authV2 = toNodeHandler(
    createV2AuthHandler({
      privateKey: keys.privateKey,
      publicKey: keys.publicKey,
      allowedOrigins: '*',
      authorize: options.authorizeV2,
    }),
  )
  const inFlight = new Set<Promise<void>>()
  let info: Record<string, string> = {}

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local')
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/'
    const rawQuery = (req.url ?? '').includes('?')
      ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1)
      : ''
    const method = req.method ?? 'GET'
    if (method === 'OPTIONS') {
      res.statusCode = 204
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, OPTIONS')
      const asked = req.headers['access-control-request-headers']
      res.setHeader('Access-Control-Allow-Headers', asked ?? 'Authorization, Content-Type')
      res.setHeader('Access-Control-Max-Age', '86400')
      res.end()
      return
    }
    if (url.pathname === UPLOAD_PATH_V1 || url.pathname === UPLOAD_PATH_V2) {
      if (method !== 'POST') {
        res.setHeader('Allow', 'POST, OPTIONS')
        return sendJson(res, 405, { message: 'Use POST to upload.' })
      }
      return handleUpload(req, res, upload, url.pathname === UPLOAD_PATH_V1 ? 'v1' : 'v2')
    }
    if (url.pathname === AUTH_PATH) return auth(req, res)
    if (url.pathname === AUTH_V2_PATH) return authV2(req, res)
    if (rawPath.startsWith(`${DELIVERY_PREFIX}/`)) {
      if (method !== 'GET' && method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD, OPTIONS')
        return sendJson(res, 405, { message: 'Delivery URLs take GET and HEAD.' })
      }
      return handleDelivery(
        req,
        res,
        { store, privateKey: keys.privateKey, renderer },
        rawPath.slice(DELIVERY_PREFIX.length + 1),
        rawQuery,
      )
    }
    if (url.pathname === '/' && (method === 'GET' || method === 'HEAD')) return sendJson(res, 200, info)
    sendJson(res, 404, { message: `No route for ${method} ${url.pathname}.` })
  }

  /** The exchange in progress on each connection, for the idle timeout's judgement. */
  const exchanges = new WeakMap<Socket, { req: IncomingMessage; res: ServerResponse }>()

  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs,
      // Node checks the headers and request deadlines on this period (30 s by default), so a
      // deadline is only as precise as it: a quarter of the shortest keeps them within 25%.
      connectionsCheckingInterval: Math.max(10, Math.min(30_000, Math.floor(headersTimeoutMs / 4))),
    },
    (req, res) => {
      const started = performance.now()
      exchanges.set(req.socket, { req, res })
      res.once('close', () => {
        if (exchanges.get(req.socket)?.res === res) exchanges.delete(req.socket)
      })
      const bytesAtStart = req.socket.bytesRead
      const requestId = randomUUID()
      res.setHeader('x-request-id', requestId)
      res.setHeader('x-ik-requestid', requestId)
      for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value)
      const work = route(req, res)
        .catch(() => {
          // A bug must cost one request, never the process.
          if (!res.headersSent)
            sendJson(res, 500, { message: 'Internal error in the local upload server.' }, true)
          else res.destroy()
        })
        .finally(() => inFlight.delete(work))
      inFlight.add(work)
      // Logged once the answer is out (or the connection gone) and the handler has cleaned up, so an
      // entry means the request is over: its temp files are gone too.
      const closed = new Promise((resolveClosed) => res.once('close', resolveClosed))
      if (onRequest)
        void Promise.all([work, closed]).then(() =>
          logSafely(onRequest, {
            method: req.method ?? '',
            path: (req.url ?? '').split('?')[0] ?? '',
            status: res.writableFinished ? res.statusCode : 0,
            ms: Math.round(performance.now() - started),
            bytesRead: req.socket.bytesRead - bytesAtStart,
            requestId,
            ...(logNotes.has(res) && { note: logNotes.get(res) }),
          }),
        )
    },
  )
  // Node's parser refused the request (a malformed request line, headers too large, a headers or
  // request deadline passed): a short answer when nothing was answered on the connection yet,
  // then the socket is destroyed. Only ending it would leave it half-open for as long as the client
  // keeps its own half open, holding a descriptor and, mid-upload, a temp file.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const answering = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage
    if (!socket.writable || answering?.headersSent) {
      socket.destroy()
      return
    }
    const { status, message } = CLIENT_ERRORS[error.code ?? ''] ?? BAD_REQUEST
    const body = JSON.stringify({ message })
    socket.end(
      `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Access-Control-Allow-Origin: *\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    )
    // Destroyed once the answer is out, or after a moment if the client does not take it.
    socket.once('finish', () => socket.destroy())
    setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS).unref()
  })
  // A connection silent for `idleTimeoutMs`: a stalled body, a reader that stopped reading, an
  // idle keep-alive connection. Listening here replaces Node's own handling, so every case that
  // is not the server's own work must be destroyed here.
  server.timeout = idleTimeoutMs
  server.on('timeout', (socket: Socket) => {
    const exchange = exchanges.get(socket)
    // The request is in and the answer not begun: the server is working on it (a URL download has
    // its own deadlines). The timer starts again with the answer's first byte.
    if (exchange?.req.complete && !exchange.res.headersSent && !exchange.res.destroyed) return
    socket.destroy()
  })

  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        resolveListen()
      })
    })
  } catch (error) {
    store.close()
    throw error
  }
  // Errors after listening (EMFILE, say) are reported, never left to crash the process.
  server.on('error', (error) => process.stderr.write(`ik-upload local server: ${error.message}\n`))
  const address = server.address() as AddressInfo
  const url = (options.publicUrl ?? `http://${displayHost(host)}:${address.port}`).replace(/\/+$/, '')
  upload.urlEndpoint = url + DELIVERY_PREFIX
  const handle: LocalServer = {
    url,
    uploadEndpoint: url + UPLOAD_PATH_V1,
    uploadEndpointV2: url + UPLOAD_PATH_V2,
    authEndpoint: url + AUTH_PATH,
    authEndpointV2: url + AUTH_V2_PATH,
    urlEndpoint: upload.urlEndpoint,
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
    dataDir,
    keysCreated: keys.created,
    close: async () => {
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose())
        server.closeAllConnections()
      })
      // Cut uploads clean up their temp files before the database goes away (bounded, so a
      // stuck handler cannot hang shutdown).
      await Promise.race([Promise.all([...inFlight]), new Promise((done) => setTimeout(done, 5000).unref())])
      await renderer.close()
      store.close()
    },
  }
  info = {
    name: 'ik-upload local server',
    uploadEndpoint: handle.uploadEndpoint,
    uploadEndpointV2: handle.uploadEndpointV2,
    authEndpoint: handle.authEndpoint,
    authEndpointV2: handle.authEndpointV2,
    urlEndpoint: handle.urlEndpoint,
    publicKey: handle.publicKey,
  }
  return handle
}
