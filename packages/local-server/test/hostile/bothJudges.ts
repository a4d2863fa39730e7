import { uploadHandlers } from '@ik-upload/msw'
import { setupServer } from 'msw/node'
import { expect } from 'vitest'
import type { LocalServerOptions } from '../../src/index'
import {
  startTestServer,
  stopTestServer,
  TEST_PRIVATE_KEY,
  TEST_PUBLIC_KEY,
  type TestServer,
} from '../helpers'
import { multipart, multipartType, type RawPart, send } from './support'

// One judge, one answer (issue 10, part 2): what the parity and agreement tests share. Each request
// goes, byte for byte, to the msw handlers (through msw's `setupServer`, at the network) and to a
// real local server over HTTP, with the same keys and limits; both must answer the same status and
// body once what differs by design (ids, URLs on each one's endpoint, unique suffixes, times) is
// set aside.

/** One upload request as bytes on the wire: the endpoint's version, the body, its type, other headers. */
export interface WireRequest {
  /** @default 'v1' */
  version?: 'v1' | 'v2'
  body: Buffer
  type?: string
  headers?: Record<string, string>
}

/** A status and a parsed JSON body. */
export interface Reply {
  status: number
  body: unknown
}

/** The msw handlers and a local server, started with the same keys and limits. */
export interface BothJudges {
  /** Answers `request` from the msw handlers. */
  toMsw(request: WireRequest): Promise<Reply>
  /** Answers `request` from the local server. */
  toLocal(request: WireRequest): Promise<Reply>
  /** Sends `request` to both at once; returns both replies normalised by `comparable`, and the local one as it came. */
  both(request: WireRequest): Promise<{ msw: Reply; local: Reply; rawLocal: Reply }>
  /** Sends `request` to both at once, expects equal normalised replies, and returns the local one. */
  bothAnswer(request: WireRequest): Promise<Reply>
  mock: ReturnType<typeof uploadHandlers>
  local: TestServer
  /** The msw mock's delivery base URL. */
  mswUrlEndpoint: string
  close(): Promise<void>
}

const MSW_UPLOAD = 'https://upload.parity.test/api/v1/files/upload'
const MSW_UPLOAD_V2 = 'https://upload.parity.test/api/v2/files/upload'
const MSW_URL_ENDPOINT = 'https://ik.parity.test/dev'

/**
 * Starts both judges: the msw handlers behind `setupServer` (requests they do not handle, such as
 * the local server's, pass through) and a local server with `options`. The msw mock reads the
 * clock through `Date.now()` at each request, so a test's fake `Date` moves both judges at once.
 */
export async function startBothJudges(
  options: Pick<LocalServerOptions, 'maxFileSize' | 'maxFieldsSize' | 'urlTimeoutMs' | 'allowPrivateUrls'>,
): Promise<BothJudges> {
  const mock = uploadHandlers({
    publicKey: TEST_PUBLIC_KEY,
    privateKey: TEST_PRIVATE_KEY,
    uploadEndpoint: MSW_UPLOAD,
    uploadV2Endpoint: MSW_UPLOAD_V2,
    urlEndpoint: MSW_URL_ENDPOINT,
    now: () => Date.now(),
    ...(options.maxFileSize !== undefined && { maxFileSize: options.maxFileSize }),
    ...(options.maxFieldsSize !== undefined && { maxFieldsSize: options.maxFieldsSize }),
    ...(options.urlTimeoutMs !== undefined && { urlTimeoutMs: options.urlTimeoutMs }),
  })
  const msw = setupServer(...mock.handlers)
  const local = await startTestServer(options)
  msw.listen({ onUnhandledRequest: 'bypass' })
  const headersOf = (request: WireRequest) => ({
    ...(request.type !== undefined && { 'content-type': request.type }),
    ...request.headers,
  })
  const toMsw = async (request: WireRequest): Promise<Reply> => {
    const response = await fetch(request.version === 'v2' ? MSW_UPLOAD_V2 : MSW_UPLOAD, {
      method: 'POST',
      headers: headersOf(request),
      body: new Uint8Array(request.body),
    })
    const text = await response.text()
    return { status: response.status, body: parsed(text) }
  }
  const toLocal = async (request: WireRequest): Promise<Reply> => {
    const url = request.version === 'v2' ? local.uploadEndpointV2 : local.uploadEndpoint
    const answer = await send(url, { headers: headersOf(request), body: request.body })
    return { status: answer.status, body: answer.body }
  }
  const endpoints = { msw: MSW_URL_ENDPOINT, local: local.urlEndpoint }
  const both = async (request: WireRequest) => {
    // At once, so the slow cases take their time once.
    const [fromMsw, fromLocal] = await Promise.all([toMsw(request), toLocal(request)])
    return {
      msw: comparable(fromMsw, endpoints.msw),
      local: comparable(fromLocal, endpoints.local),
      rawLocal: fromLocal,
    }
  }
  return {
    toMsw,
    toLocal,
    both,
    bothAnswer: async (request) => {
      const replies = await both(request)
      expect(replies.msw).toEqual(replies.local)
      return replies.local
    },
    mock,
    local,
    mswUrlEndpoint: MSW_URL_ENDPOINT,
    close: async () => {
      msw.close()
      await stopTestServer(local)
    },
  }
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** A unique name suffix (`_` and 9 characters before the extension), which differs by design. */
export const withoutSuffix = (name: unknown) =>
  typeof name === 'string' ? name.replace(/_[\w-]{9}(?=\.[^./]*$|$)/, '_<suffix>') : name

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/

/**
 * A reply with what differs between two judges by design set aside: `fileId` and the version's id
 * (random), the delivery endpoint at the start of `url` and `thumbnailUrl` (each judge its own),
 * the unique suffix of `name`, `filePath` and the URLs, and ISO times.
 */
export function comparable(reply: Reply, urlEndpoint = ''): Reply {
  if (typeof reply.body !== 'object' || reply.body === null || Array.isArray(reply.body)) return reply
  const body = { ...(reply.body as Record<string, unknown>) }
  const normalise = (value: unknown): unknown => {
    if (typeof value !== 'string') return value
    if (ISO_TIME.test(value)) return '<time>'
    return value
  }
  if ('fileId' in body) body.fileId = '<id>'
  if (typeof body.versionInfo === 'object' && body.versionInfo !== null)
    body.versionInfo = { ...(body.versionInfo as object), id: '<id>' }
  for (const key of ['name', 'filePath'] as const) if (key in body) body[key] = withoutSuffix(body[key])
  for (const key of ['url', 'thumbnailUrl'] as const) {
    const url = body[key]
    if (typeof url === 'string' && urlEndpoint && url.startsWith(urlEndpoint))
      body[key] = `<urlEndpoint>${withoutSuffix(url.slice(urlEndpoint.length))}`
  }
  for (const [key, value] of Object.entries(body)) body[key] = normalise(value)
  return { status: reply.status, body }
}

/** The spec's error reply. */
export const refusal = (message: string, status = 400): Reply => ({
  status,
  body: { message, help: 'For support kindly contact us at support@imagekit.io .' },
})

/** A multipart request of `parts`. */
export const wire = (
  parts: RawPart[],
  options: { headers?: Record<string, string>; version?: 'v1' | 'v2' } = {},
): WireRequest => ({
  body: multipart(parts),
  type: multipartType(),
  ...(options.headers && { headers: options.headers }),
  ...(options.version && { version: options.version }),
})
