/**
 * msw handlers that implement ImageKit's upload API (v1 and v2), an auth endpoint and file delivery
 * in memory. Every rule is the core protocol's (`@ik-upload/core/protocol`): the same judge, error
 * catalog, signatures and response builder as the local server, so a test that passes here passes
 * against the real thing. Knobs inject latency and failures; logs show what the server received.
 */
import { type AuthParams, IMAGEKIT_UPLOAD_ENDPOINT } from '@ik-upload/core'
import {
  buildUploadResponse,
  DEFAULT_MAX_FIELDS_SIZE,
  DEFAULT_MAX_FILE_SIZE,
  DELIVERY_NOT_FOUND,
  DELIVERY_NOT_SIGNED,
  type DetectedFileType,
  decodeFileField,
  detectFileType,
  errorBody,
  FILE_TOO_LARGE,
  FILE_URL_NOT_DOWNLOADED,
  FILE_URL_TIMEOUT_MS,
  type FormEntry,
  fieldsTooLarge,
  invalidValue,
  isBasicAuth,
  type JudgeContext,
  type JudgedUpload,
  judgeUploadFields,
  judgeUploadFile,
  judgeV2UploadFields,
  MALFORMED_BODY,
  MAX_FIELDS,
  MAX_FILE_URL_REDIRECTS,
  mimeTypeOf,
  missingParameter,
  NO_EXPIRY,
  newFileId,
  parseFormBody,
  recordFields,
  type StoredFileRecord,
  safeEqual,
  signDeliveryPath,
  signUploadJwt,
  signUploadToken,
  tooManyFields,
  type UploadResponse,
} from '@ik-upload/core/protocol'
import { delay, HttpResponse, http, type RequestHandler } from 'msw'
import { type AuthV2RequestRecord, type V2AuthMockOptions, v2AuthHandlers } from './v2AuthHandlers'

/** A throwaway public key for tests and stories. Never a real account's key. */
export const DEV_PUBLIC_KEY = 'public_dev_ikupload_do_not_use'
/** A throwaway private key for tests and stories, known to everyone: never use it for real files. */
export const DEV_PRIVATE_KEY = 'private_dev_ikupload_do_not_use'
/** Where the mock auth endpoint answers by default (`.test` is a reserved TLD: nothing real is there). */
export const DEV_AUTH_ENDPOINT = 'https://app.ikupload.test/api/imagekit-auth'
/** The mock delivery URL endpoint by default. */
export const DEV_URL_ENDPOINT = 'https://ik.ikupload.test/dev'

/** How long an answer of the upload server takes to come, or fail, in the ways tests need. */
export type InjectedFailure =
  /** Answer this HTTP status with the spec's error body (e.g. `503`, `429`, `500`). */
  | number
  /** A network error: the connection fails, no response (`HttpResponse.error()`). */
  | 'network'
  /** Never answer (until the client aborts or times out). */
  | 'hang'
  | {
      /** @default 503 */
      status?: number
      /** The error body's message. @default 'The service is temporarily unavailable.' (ours) */
      message?: string
      /** Seconds sent as `Retry-After`. @default none */
      retryAfter?: number
    }

/** Options of `uploadHandlers`. Every URL is absolute; relative ones resolve against `location` in browsers. */
export interface UploadHandlersOptions extends V2AuthMockOptions {
  /** The one account's public key. @default DEV_PUBLIC_KEY */
  publicKey?: string
  /** The account's private key, used by the auth endpoint to sign and by the upload API to check. @default DEV_PRIVATE_KEY */
  privateKey?: string
  /** The v1 upload URL. @default 'https://upload.imagekit.io/api/v1/files/upload' (the client's default) */
  uploadEndpoint?: string
  /** The v2 upload URL. @default uploadEndpoint with `/v1/` replaced by `/v2/` */
  uploadV2Endpoint?: string
  /** The app's auth endpoint, answering GET with `{token, expire, signature}`. @default DEV_AUTH_ENDPOINT */
  authEndpoint?: string
  /** Where files are delivered; `url` and `thumbnailUrl` of responses start with it. @default DEV_URL_ENDPOINT */
  urlEndpoint?: string
  /** Largest file accepted, in bytes. @default 26214400 (25 MB) */
  maxFileSize?: number
  /**
   * Most bytes the text fields of one request (names and values, `file` aside) may hold in total,
   * as the local server's `maxFieldsSize`. @default 2097152 (2 MiB, the protocol's `DEFAULT_MAX_FIELDS_SIZE`)
   */
  maxFieldsSize?: number
  /**
   * Milliseconds a `file` URL gets to send its response headers, and at most between two chunks of
   * its body (a slow, steady body is fine), as the local server's `urlTimeoutMs`. @default 8000 (the spec's 8 s)
   */
  urlTimeoutMs?: number
  /** Milliseconds before every answer (upload, auth, delivery); msw's `delay`, so fake timers control it. @default 0 */
  latency?: number
  /** Lifetime of the auth endpoint's parameters, in seconds. @default 1800 */
  authLifetime?: number
  /** The server's clock, in ms. @default Date.now */
  now?: () => number
  /** Makes the unique file name suffix; pass a fixed one for stable names. @default the protocol's random suffix */
  uniqueSuffix?: () => string
}

/** One upload request as the mock received and answered it. */
export interface UploadRequestRecord {
  version: 'v1' | 'v2'
  url: string
  /** Every text field, as sent on the wire (a text `file` too). */
  fields: Record<string, string>
  /** The `token` field: a UUID for v1, a JWT for v2. */
  token: string | undefined
  /** The binary `file` part, when one came. */
  file: File | undefined
  /** Request headers, names in lowercase. */
  headers: Record<string, string>
  /** The status answered; 0 for an injected network error or a hang. */
  status: number
  /** The JSON body answered. */
  body: unknown
  /** Answered by `failNext` instead of the API. */
  injected: boolean
}

/** One request to the auth endpoint and the parameters it got. */
export interface AuthRequestRecord {
  url: string
  /** Request headers, names in lowercase. */
  headers: Record<string, string>
  /** `undefined` when the request was failed by `failNext`. */
  params: AuthParams | undefined
}

/** A stored file: the record the responses are built from, and its bytes. */
export interface StoredFile extends StoredFileRecord {
  bytes: Uint8Array
}

/** What `uploadHandlers` returns: the handlers for `setupServer` / `setupWorker`, the logs and the knobs. */
export interface UploadMock {
  /** Spread them into `setupServer(...mock.handlers)` or `server.use(...mock.handlers)`. */
  handlers: RequestHandler[]
  /** Upload requests in arrival order, v1 and v2. */
  requests: UploadRequestRecord[]
  /** Auth endpoint requests in arrival order, with the headers that came and the parameters issued. */
  authRequests: AuthRequestRecord[]
  /** v2 auth endpoint requests in arrival order: the fields asked for, approved and signed. */
  authV2Requests: AuthV2RequestRecord[]
  /** Stored files by `filePath`. */
  files: Map<string, StoredFile>
  /** Tokens the upload API has seen (v1 UUIDs and v2 JWTs); a token here is refused. */
  usedTokens: Set<string>
  /** Makes the next `count` requests to `target` fail as `failure` instead of reaching the API. */
  failNext(count: number, failure?: InjectedFailure, target?: 'upload' | 'auth'): void
  /** Changes the latency of every answer, in ms. */
  setLatency(ms: number): void
  /** Holds every upload request after it is logged, until `resume()`: to see how many run at once. */
  pause(): void
  /** Lets held and later upload requests through. */
  resume(): void
  /** Fresh, valid v1 auth parameters, as the auth endpoint gives (not logged). */
  authParams(): Promise<AuthParams>
  /** A v2 upload token (HS256 JWT) over these wire fields, signed with the private key. */
  signV2Token(fields: Record<string, string | undefined>): Promise<string>
  /** Forgets files, tokens, logs and pending failures, and restores the latency option. */
  reset(): void
}

/** A `file` URL's body went over `maxFileSize` while downloading: the size error, as on the local server. */
class FileTooLarge extends Error {}

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
}

/** A JSON answer with the spec's headers: CORS, `charset=utf-8` and a request id (twice). */
function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse<string> {
  const id = crypto.randomUUID()
  return new HttpResponse(JSON.stringify(body), {
    status,
    headers: {
      ...CORS_HEADERS,
      'Content-Type': 'application/json; charset=utf-8',
      'x-request-id': id,
      'x-ik-requestid': id,
      ...headers,
    },
  })
}

/** Request headers with lowercase names (some fetch implementations keep the case they were given). */
const headersOf = (request: Request): Record<string, string> =>
  Object.fromEntries([...request.headers].map(([name, value]) => [name.toLowerCase(), value]))

/** Drops a trailing `/`, so URLs built from the endpoint never hold `//`. */
const trimSlash = (url: string) => url.replace(/\/+$/, '')

/**
 * Builds the mock: handlers for `POST` v1 and v2 uploads (and their CORS preflight), `GET` on the
 * auth endpoint, and `GET` delivery of stored files under `urlEndpoint` (private files need a
 * valid `ik-s` signature, 401 without; unpublished ones too, 404 without). Each call has its own
 * storage, so tests do not share state.
 *
 * @example
 * const mock = uploadHandlers({ authEndpoint: '/api/imagekit-auth' })
 * const server = setupServer(...mock.handlers) // msw/node; setupWorker(...) in a browser
 * beforeAll(() => server.listen())
 * afterEach(() => mock.reset())
 *
 * mock.failNext(1, 503) // the next upload answers 503; the kit retries with a new token
 * // ... upload through <IKContext publicKey={DEV_PUBLIC_KEY} authenticationEndpoint="/api/imagekit-auth">
 * expect(mock.requests[1]?.token).not.toBe(mock.requests[0]?.token)
 */
export function uploadHandlers(options: UploadHandlersOptions = {}): UploadMock {
  const {
    publicKey = DEV_PUBLIC_KEY,
    privateKey = DEV_PRIVATE_KEY,
    uploadEndpoint = IMAGEKIT_UPLOAD_ENDPOINT,
    uploadV2Endpoint = uploadEndpoint.replace('/v1/', '/v2/'),
    authEndpoint = DEV_AUTH_ENDPOINT,
    maxFileSize = DEFAULT_MAX_FILE_SIZE,
    maxFieldsSize = DEFAULT_MAX_FIELDS_SIZE,
    urlTimeoutMs = FILE_URL_TIMEOUT_MS,
    authLifetime = 1800,
    now = Date.now,
    uniqueSuffix,
  } = options
  const urlEndpoint = trimSlash(options.urlEndpoint ?? DEV_URL_ENDPOINT)
  const endpointPath = new URL(urlEndpoint).pathname.replace(/\/$/, '')
  let latency = options.latency ?? 0
  const requests: UploadRequestRecord[] = []
  const authRequests: AuthRequestRecord[] = []
  const authV2Requests: AuthV2RequestRecord[] = []
  const files = new Map<string, StoredFile>()
  const usedTokens = new Set<string>()
  const failures: Record<'upload' | 'auth', InjectedFailure[]> = { upload: [], auth: [] }

  const wait = () => (latency > 0 ? delay(latency) : undefined)
  let gate: Promise<void> | undefined
  let open = () => {}
  const nowSeconds = () => now() / 1000

  const authParams = async (): Promise<AuthParams> => {
    const token = crypto.randomUUID()
    const expire = Math.floor(nowSeconds()) + authLifetime
    return { token, expire, signature: await signUploadToken(privateKey, token, expire) }
  }

  /** The answer for an injected failure, or `undefined` for a hang (which never resolves). */
  async function injected(failure: InjectedFailure): Promise<Response> {
    if (failure === 'network') return HttpResponse.error()
    if (failure === 'hang') {
      await delay('infinite')
      return HttpResponse.error()
    }
    const {
      status = 503,
      message = 'The service is temporarily unavailable.',
      retryAfter,
    } = typeof failure === 'number' ? { status: failure } : failure
    return json(
      status,
      errorBody(message),
      retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) },
    )
  }

  const context: JudgeContext = {
    get nowSeconds() {
      return nowSeconds()
    },
    privateKeyFor: (key) => (key === publicKey ? privateKey : undefined),
    isTokenUsed: (token) => usedTokens.has(token),
    markTokenUsed: (token) => void usedTokens.add(token),
    // Synchronous check-and-mark: two concurrent requests with one token cannot both pass.
    claimToken: (token) => !usedTokens.has(token) && !!usedTokens.add(token),
  }

  /** The file's bytes and declared type, or the refusal for a missing, bad or undownloadable file. */
  async function readFile(
    entry: FormEntry | undefined,
  ): Promise<{ bytes: Uint8Array; mime?: string } | { status: number; message: string }> {
    // An empty or whitespace-only text `file` is a missing one, as on the local server.
    if (!entry || ('value' in entry && !entry.value.trim()))
      return { status: 400, message: missingParameter('file') }
    // The bare type, as the local server's parser gives it (`text/plain; charset=utf-8` is
    // `text/plain`); a part without one is `text/plain`, multipart's default (RFC 7578).
    if ('file' in entry) return { bytes: entry.file.bytes, mime: mimeTypeOf(entry.file.type) ?? 'text/plain' }
    const decoded = decodeFileField(entry.value)
    if (!decoded) return { status: 400, message: invalidValue('file') }
    if (decoded.kind === 'bytes') return decoded
    try {
      return await downloadFileUrl(decoded.url)
    } catch (error) {
      const message = error instanceof FileTooLarge ? FILE_TOO_LARGE : FILE_URL_NOT_DOWNLOADED
      return { status: 400, message }
    }
  }

  /**
   * Downloads a `file` URL as the local server does: http(s) only, at most
   * `MAX_FILE_URL_REDIRECTS` redirects, response headers within `urlTimeoutMs` and no gap longer
   * than that between body chunks (not the whole download: a slow, steady body is fine), and no
   * more than `maxFileSize` bytes. Rejects on any failure. Under msw's browser worker this is the
   * page's own fetch: the URL's host must allow CORS, and a redirect's target is hidden (an opaque
   * response), so the browser follows redirects itself, up to its own limit (20 in the Fetch
   * standard) instead of 5 (`fileUrlInBrowser.test.ts`).
   */
  async function downloadFileUrl(href: string): Promise<{ bytes: Uint8Array; mime?: string }> {
    let url = new URL(href)
    for (let hop = 0; hop <= MAX_FILE_URL_REDIRECTS; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${url.protocol} URL`)
      const aborter = new AbortController()
      let timer = setTimeout(() => aborter.abort(), urlTimeoutMs)
      try {
        let response = await fetch(url, { redirect: 'manual', signal: aborter.signal })
        const location = response.headers.get('location')
        if (response.status >= 300 && response.status < 400 && location !== null) {
          // Not awaited: under msw's own interception a cancel can wait for a read that never comes.
          void response.body?.cancel().catch(() => {})
          url = new URL(location, url)
          continue
        }
        // A browser hides a manual redirect's target (an opaque response): let it follow them itself.
        if (response.type === 'opaqueredirect')
          response = await fetch(url, { redirect: 'follow', signal: aborter.signal })
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        const chunks: Uint8Array[] = []
        let size = 0
        const reader = response.body?.getReader()
        for (;;) {
          clearTimeout(timer)
          timer = setTimeout(() => aborter.abort(), urlTimeoutMs)
          const chunk = await reader?.read()
          if (!chunk || chunk.done) break
          size += chunk.value.length
          if (size > maxFileSize) {
            aborter.abort()
            throw new FileTooLarge()
          }
          chunks.push(chunk.value)
        }
        const bytes = new Uint8Array(size)
        let offset = 0
        for (const chunk of chunks) {
          bytes.set(chunk, offset)
          offset += chunk.length
        }
        return { bytes, mime: mimeTypeOf(response.headers.get('content-type')) }
      } finally {
        clearTimeout(timer)
      }
    }
    throw new Error(`more than ${MAX_FILE_URL_REDIRECTS} redirects`)
  }

  /** Stores an accepted upload (a new version when it replaces a file) and builds the response. */
  function store(
    upload: JudgedUpload,
    placement: { name: string; filePath: string },
    bytes: Uint8Array,
    detected: DetectedFileType,
  ): UploadResponse {
    const previous = files.get(placement.filePath)
    const fileId = previous?.fileId ?? newFileId()
    const time = new Date(now()).toISOString()
    const record: StoredFile = {
      fileId,
      versionId: previous ? newFileId() : fileId,
      ...recordFields(upload, previous),
      name: placement.name,
      filePath: placement.filePath,
      size: bytes.length,
      mime: detected.mime,
      fileType: detected.fileType,
      width: detected.width,
      height: detected.height,
      createdAt: previous?.createdAt ?? time,
      updatedAt: time,
      bytes,
    }
    files.set(record.filePath, record)
    return buildUploadResponse(record, upload.responseFields, urlEndpoint)
  }

  /**
   * The protocol's field limits, in wire order as the local server counts while streaming: more
   * than `MAX_FIELDS` text fields, or their names and values over `maxFieldsSize` bytes (`file`
   * aside, it has its own limit). Judged before the fields, so the token stays unspent.
   */
  function fieldLimitProblem(form: FormEntry[]): string | undefined {
    const encoder = new TextEncoder()
    let count = 0
    let bytes = 0
    for (const entry of form) {
      if (!('value' in entry) || entry.name === 'file') continue
      if (++count > MAX_FIELDS) return tooManyFields(MAX_FIELDS)
      bytes += encoder.encode(entry.name).length + encoder.encode(entry.value).length
      if (bytes > maxFieldsSize) return fieldsTooLarge(maxFieldsSize)
    }
    return undefined
  }

  async function handleUpload(version: 'v1' | 'v2', request: Request): Promise<Response> {
    const record: UploadRequestRecord = {
      version,
      url: request.url,
      // No prototype: a field named `constructor` or `__proto__` is an ordinary field.
      fields: Object.create(null),
      token: undefined,
      file: undefined,
      headers: headersOf(request),
      status: 0,
      body: undefined,
      injected: false,
    }
    requests.push(record)
    // The protocol's parser, not `request.formData()`: undici's and each browser's differ on odd
    // bodies (a preamble, `filename*`, a part without Content-Disposition), busboy's rules are the
    // protocol's. Sent as multipart but not one (no or another boundary, cut, empty): the
    // protocol's answer. Any other body has no fields: the judge says which is missing first.
    const parsed = parseFormBody(
      new Uint8Array(await request.arrayBuffer()),
      request.headers.get('content-type'),
    )
    const malformed = parsed === 'malformed'
    const form = malformed ? [] : parsed
    // The first value of a repeated field counts (and the first `file`), as on the local server.
    let fileEntry: FormEntry | undefined
    for (const entry of form) {
      if ('value' in entry) record.fields[entry.name] ??= entry.value
      if (entry.name !== 'file' || fileEntry) continue
      fileEntry = entry
      if ('file' in entry)
        record.file = new File([entry.file.bytes.slice().buffer as ArrayBuffer], entry.file.filename, {
          type: entry.file.type,
        })
    }
    record.token = record.fields.token
    const answer = (status: number, body: unknown) => {
      record.status = status
      record.body = body
      return json(status, body)
    }
    await gate
    await wait()
    const failure = failures.upload.shift()
    if (failure !== undefined) {
      record.injected = true
      const response = await injected(failure)
      record.status = response.type === 'error' ? 0 : response.status
      record.body = response.type === 'error' ? undefined : await response.clone().json()
      return response
    }
    if (malformed) return answer(400, errorBody(MALFORMED_BODY))
    const overLimit = fieldLimitProblem(form)
    if (overLimit) return answer(400, errorBody(overLimit))
    const judge = version === 'v1' ? judgeUploadFields : judgeV2UploadFields
    const judgement = await judge(record.fields, {
      ...context,
      nowSeconds: nowSeconds(),
      hasBasicAuth: isBasicAuth(request.headers.get('authorization')),
    })
    if (!judgement.ok) return answer(judgement.status, errorBody(judgement.message))
    const file = await readFile(fileEntry)
    if ('message' in file) return answer(file.status, errorBody(file.message))
    const detected = detectFileType(file.bytes, file.mime)
    const placement = await judgeUploadFile(
      judgement.upload,
      { size: file.bytes.length, mime: detected.mime },
      { maxFileSize, fileExists: (path) => files.has(path), uniqueSuffix },
    )
    if (!placement.ok) return answer(placement.status, errorBody(placement.message))
    return answer(200, store(judgement.upload, placement, file.bytes, detected))
  }

  async function handleAuth(request: Request): Promise<Response> {
    const record: AuthRequestRecord = {
      url: request.url,
      headers: headersOf(request),
      params: undefined,
    }
    authRequests.push(record)
    await wait()
    const failure = failures.auth.shift()
    if (failure !== undefined) return injected(failure)
    record.params = await authParams()
    return json(200, record.params, { 'Cache-Control': 'no-store' })
  }

  async function handleDelivery(request: Request): Promise<Response> {
    await wait()
    const url = new URL(request.url)
    // What follows `urlEndpoint + "/"`, with the query but without the signature's own parameters.
    const signature = url.searchParams.get('ik-s')
    const expiresAt = url.searchParams.get('ik-t')
    url.searchParams.delete('ik-s')
    url.searchParams.delete('ik-t')
    const relative = (url.pathname + url.search).slice(endpointPath.length + 1)
    // A `tr:` path segment or `?tr=` query is accepted and ignored: the mock serves the original.
    const filePath = `/${decodeURIComponent(url.pathname.slice(endpointPath.length + 1))}`.replace(
      /^\/tr:[^/]*/,
      '',
    )
    const file = files.get(filePath)
    if (!file) return json(404, { message: DELIVERY_NOT_FOUND })
    // Private and unpublished files need a valid signature, as on the local server: without one a
    // private file is 401 and an unpublished one 404, as if it did not exist.
    if (file.isPrivateFile || !file.isPublished) {
      // Expired at its own second: `ik-t` must be digits and later than now.
      const expired = expiresAt !== null && (!/^\d+$/.test(expiresAt) || Number(expiresAt) <= nowSeconds())
      const valid =
        !!signature &&
        !expired &&
        safeEqual(signature, await signDeliveryPath(privateKey, relative, expiresAt ?? NO_EXPIRY))
      if (!valid && file.isPrivateFile) return json(401, { message: DELIVERY_NOT_SIGNED })
      if (!valid) return json(404, { message: DELIVERY_NOT_FOUND })
    }
    return new HttpResponse(file.bytes.slice().buffer as ArrayBuffer, {
      headers: { ...CORS_HEADERS, 'Content-Type': file.mime },
    })
  }

  const preflight = () => new HttpResponse(null, { status: 204, headers: CORS_HEADERS })

  return {
    handlers: [
      http.options(uploadEndpoint, preflight),
      http.options(uploadV2Endpoint, preflight),
      http.post(uploadEndpoint, ({ request }) => handleUpload('v1', request)),
      http.post(uploadV2Endpoint, ({ request }) => handleUpload('v2', request)),
      http.get(authEndpoint, ({ request }) => handleAuth(request)),
      ...v2AuthHandlers({
        authV2Endpoint: options.authV2Endpoint ?? `${trimSlash(authEndpoint)}/v2`,
        authorizeV2: options.authorizeV2,
        publicKey,
        privateKey,
        lifetime: authLifetime,
        nowSeconds,
        // Latency and `failNext(..., 'auth')` apply to both auth endpoints, in arrival order.
        interrupt: async () => {
          await wait()
          const failure = failures.auth.shift()
          return failure === undefined ? undefined : injected(failure)
        },
        log: authV2Requests,
      }),
      http.get(`${urlEndpoint}/*`, ({ request }) => handleDelivery(request)),
    ],
    requests,
    authRequests,
    authV2Requests,
    files,
    usedTokens,
    failNext(count, failure = 503, target = 'upload') {
      for (let i = 0; i < count; i++) failures[target].push(failure)
    },
    setLatency(ms) {
      latency = ms
    },
    pause() {
      gate ??= new Promise((resolve) => {
        open = resolve
      })
    },
    resume() {
      open()
      gate = undefined
    },
    authParams,
    signV2Token: (fields) => signUploadJwt({ publicKey, privateKey, fields, iat: Math.floor(nowSeconds()) }),
    reset() {
      requests.length = 0
      authRequests.length = 0
      authV2Requests.length = 0
      files.clear()
      usedTokens.clear()
      failures.upload.length = 0
      failures.auth.length = 0
      latency = options.latency ?? 0
      open()
      gate = undefined
    },
  }
}
