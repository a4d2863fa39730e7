import { connect } from 'node:net'
import {
  fieldsTooLarge,
  HELP,
  MAX_FIELDS,
  missingParameter,
  tokenUsed,
  tooManyFields,
} from '@ik-upload/core/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MALFORMED_BODY } from '../../src/handleUpload'
import { startTestServer, stopTestServer, type TestServer } from '../helpers'
import {
  type Auth,
  fieldRows,
  form,
  freshAuth,
  HOSTILE_MAX_FILE_SIZE,
  type HostileRow,
  type RowAnswer,
  type RowContext,
} from './hostileRows'
import {
  type Answer,
  BOUNDARY,
  expectHealthy,
  multipart,
  multipartType,
  openFds,
  rawStatus,
  send,
  storageDrift,
} from './support'

// The standing hostile suite against the local server (issue 9): well over 150 hostile requests,
// each with its exact status and body, in groups; after every group the process checks run (the
// server still answers, no temp file, no orphan blob, no record without its blob, every accepted
// token refused on replay, descriptors back to idle). Field rows are shared with the msw handlers
// (hostileRows.ts, run by hostileMsw.test.ts); the transport rows here are the server's alone.

let server: TestServer
let idle: number
/** Every request this file sends, to hold the suite to its 150. */
let requests = 0
/** The fields of every upload answered 200 in the current group: replayed by the group's checks. */
const acceptedAuth: Auth[] = []

beforeAll(async () => {
  server = await startTestServer({ maxFileSize: HOSTILE_MAX_FILE_SIZE })
  // Warm up what every request touches (parser, database, delivery), then count the descriptors.
  const warm = await ctx.post(form(await freshAuth()))
  expect(warm.status).toBe(200)
  storageDrift(server.dataDir)
  idle = openFds()
})
afterAll(() => stopTestServer(server))

/** The v1 or v2 upload URL. */
const endpoint = (v2 = false) => (v2 ? server.uploadEndpointV2 : server.uploadEndpoint)

/** Sends a request and counts it. */
const hit = (url: string, options: Parameters<typeof send>[1]): Promise<Answer> => {
  requests++
  return send(url, options)
}

/** Posts a multipart upload; remembers the auth of accepted v1 uploads for the group's replay check. */
const ctx: RowContext = {
  post: async (parts, options = {}) => {
    const answer = await hit(endpoint(options.v2), {
      headers: { 'content-type': multipartType(), ...options.headers },
      body: multipart(parts),
    })
    // The first of a repeated field counts, as on the server.
    const fields: Record<string, string> = {}
    for (const part of parts) if (part.filename === undefined) fields[part.name] ??= String(part.value)
    if (answer.status === 200 && !options.v2) acceptedAuth.push(fields as Auth)
    return answer
  },
}

/** Bytes sent over a raw socket; resolves with what came back once the server closes. */
const rawExchange = (text: string | Buffer) =>
  new Promise<string>((resolve) => {
    requests++
    const { port } = new URL(server.url)
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(text))
    let answer = ''
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1')
    })
    socket.on('error', () => {})
    socket.on('close', () => resolve(answer))
  })

const spec = (message: string) => ({ message, help: HELP })

/** Runs a row and asserts its exact status and body. */
async function check(row: HostileRow): Promise<void> {
  const auth = await freshAuth()
  const answer: RowAnswer = await row.send(ctx, auth)
  expect(answer.status, row.name).toBe(row.status)
  if (row.message) expect(answer.body, row.name).toEqual(spec(row.message(auth)))
  if (row.accepted) row.accepted(answer.body as Record<string, unknown>)
}

/**
 * The process checks after a group: healthy (answers, no temp file, no orphan blob, no missing
 * blob, descriptors at idle) and no accepted token accepted again.
 */
async function afterGroup(): Promise<void> {
  for (const fields of acceptedAuth.splice(0)) {
    const replay = await ctx.post(form(fields))
    expect({ status: replay.status, body: replay.body }).toEqual({
      status: 400,
      body: spec(tokenUsed(fields.token)),
    })
  }
  await expectHealthy(server, idle)
}

/** One group: its rows, then the process checks. */
function group(name: string, rows: HostileRow[]): void {
  describe(name, () => {
    for (const row of rows) it.skipIf(Boolean(row.pending?.()))(row.name, () => check(row))
    it('leaves the process healthy and accepts no replay', afterGroup)
  })
}

/** A row that posts a raw body (built from fresh auth); an accepted one joins the group's replays. */
const rawRow = (
  name: string,
  build: (auth: Auth) => {
    body: Buffer | string
    type?: string
    headers?: Record<string, string | string[]>
  },
  status: number,
  message?: string,
  accepted?: (body: Record<string, unknown>) => void,
): HostileRow => ({
  name,
  send: async (_ctx, auth) => {
    const { body, type, headers } = build(auth)
    const answer = await hit(endpoint(), {
      headers: { ...(type && { 'content-type': type }), ...headers },
      body,
    })
    if (answer.status === 200) acceptedAuth.push(auth)
    return answer
  },
  status,
  ...(message !== undefined && { message: () => message }),
  ...(accepted && { accepted }),
})

const formBody = (auth: Auth, overrides: Record<string, string | undefined> = {}) =>
  multipart(form(auth, overrides))
const fieldParts = (auth: Auth) => multipart(form(auth, {}, null), BOUNDARY, false)
const filePart = (value = 'hostile bytes') =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="h.txt"\r\nContent-Type: application/octet-stream\r\n\r\n${value}`
const stored = (body: Record<string, unknown>) =>
  expect(body).toMatchObject({ size: 13, filePath: expect.stringMatching(/^\/h_[\w-]{9}\.txt$/) })

group('malformed multipart bodies', [
  rawRow(
    'no boundary in the content type',
    (auth) => ({ body: formBody(auth), type: 'multipart/form-data' }),
    400,
    MALFORMED_BODY,
  ),
  rawRow(
    'another boundary than the one declared',
    (auth) => ({ body: formBody(auth), type: multipartType('otherBoundary') }),
    400,
    MALFORMED_BODY,
  ),
  rawRow(
    'a part whose headers never end',
    (auth) => ({
      body: Buffer.concat([
        fieldParts(auth),
        Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="x"\r\n`),
      ]),
      type: multipartType(),
    }),
    400,
    MALFORMED_BODY,
  ),
  rawRow(
    'a body cut inside a field value',
    (auth) => ({
      body: Buffer.concat([
        fieldParts(auth),
        Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="tags"\r\n\r\nhalf a va`),
      ]),
      type: multipartType(),
    }),
    400,
    MALFORMED_BODY,
  ),
  rawRow(
    'a body cut inside the file part',
    (auth) => ({ body: Buffer.concat([fieldParts(auth), Buffer.from(filePart())]), type: multipartType() }),
    400,
    MALFORMED_BODY,
  ),
  rawRow(
    'a body cut before the closing boundary',
    (auth) => ({
      body: Buffer.concat([fieldParts(auth), Buffer.from(`${filePart()}\r\n`)]),
      type: multipartType(),
    }),
    400,
    MALFORMED_BODY,
  ),
  rawRow('an empty body', () => ({ body: '', type: multipartType() }), 400, MALFORMED_BODY),
  rawRow(
    'only the closing boundary',
    () => ({ body: `--${BOUNDARY}--\r\n`, type: multipartType() }),
    400,
    missingParameter('publicKey'),
  ),
  rawRow(
    'a part without Content-Disposition',
    (auth) => ({
      body: multipart([...form(auth, { fileName: undefined }, null), { name: 'x', value: '' }])
        .toString()
        .replace('Content-Disposition: form-data; name="x"', 'X-Nothing: 1'),
      type: multipartType(),
    }),
    400,
    missingParameter('fileName'),
  ),
  rawRow(
    'fileName in a part that is not form-data',
    (auth) => ({
      body: formBody(auth)
        .toString('latin1')
        .replace('form-data; name="fileName"', 'attachment; name="fileName"'),
      type: multipartType(),
    }),
    400,
    missingParameter('fileName'),
  ),
  // busboy keeps at most 80 KB of a part's headers (the rest of the line is dropped, unbuffered).
  rawRow(
    'a file part with 100 KB of headers',
    (auth) => ({
      body: Buffer.concat([
        fieldParts(auth),
        Buffer.from(
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="h.txt"\r\nX-Pad: ${'p'.repeat(100_000)}\r\n\r\nv\r\n--${BOUNDARY}--\r\n`,
        ),
      ]),
      type: multipartType(),
    }),
    200,
    undefined,
    (body) => expect(body).toMatchObject({ size: 1 }),
  ),
  // No part's headers ever end, so no part is read.
  rawRow(
    'part headers ended by bare LFs',
    (auth) => ({
      body: formBody(auth).toString('latin1').replaceAll('\r\n\r\n', '\n\n'),
      type: multipartType(),
    }),
    400,
    missingParameter('publicKey'),
  ),
  rawRow(
    '600 parts before the fields (past the 500-part limit)',
    (auth) => ({
      body: Buffer.concat([
        multipart(
          Array.from({ length: 600 }, (_, index) => ({ name: `junk${index}`, value: 'j' })),
          BOUNDARY,
          false,
        ),
        formBody(auth),
      ]),
      type: multipartType(),
    }),
    400,
    tooManyFields(MAX_FIELDS),
  ),
  // No filename: a text part whatever its type (spec section 2), here base64 without padding.
  rawRow(
    'a file part without a filename but with a binary type',
    (auth) => ({
      body: multipart([
        ...form(auth, {}, null),
        { name: 'file', value: 'aG9zdGlsZQ', type: 'application/octet-stream' },
      ]),
      type: multipartType(),
    }),
    200,
    undefined,
    (body) => expect(body).toMatchObject({ size: 7 }),
  ),
  rawRow(
    'a preamble before the first boundary',
    (auth) => ({
      body: Buffer.concat([Buffer.from('ignore me\r\n'), formBody(auth)]),
      type: multipartType(),
    }),
    200,
    undefined,
    stored,
  ),
  rawRow(
    'an epilogue after the closing boundary',
    (auth) => ({
      body: Buffer.concat([formBody(auth), Buffer.from('trailing junk '.repeat(100))]),
      type: multipartType(),
    }),
    200,
    undefined,
    stored,
  ),
  rawRow(
    'a boundary in quotes',
    (auth) => ({ body: formBody(auth), type: `multipart/form-data; boundary="${BOUNDARY}"` }),
    200,
    undefined,
    stored,
  ),
  rawRow(
    'two file parts: the first counts',
    (auth) => ({
      body: multipart([...form(auth), { name: 'file', value: 'a second, longer file', filename: 'b.txt' }]),
      type: multipartType(),
    }),
    200,
    undefined,
    stored,
  ),
  rawRow(
    'another part with a filename, drained',
    (auth) => ({
      body: multipart([{ name: 'other', value: Buffer.alloc(200_000), filename: 'o.bin' }, ...form(auth)]),
      type: multipartType(),
    }),
    200,
    undefined,
    stored,
  ),
  rawRow(
    'a file part whose filename climbs',
    (auth) => ({
      body: multipart([
        ...form(auth, {}, null),
        { name: 'file', value: 'hostile bytes', filename: '../../../../etc/passwd' },
      ]),
      type: multipartType(),
    }),
    200,
    undefined,
    stored,
  ),
  rawRow(
    'a field name with an escaped quote',
    (auth) => ({ body: multipart([{ name: 'a\\"b', value: 'x' }, ...form(auth)]), type: multipartType() }),
    200,
    undefined,
    stored,
  ),
])

group('wrong content types', [
  rawRow(
    'application/json',
    (auth) => ({
      body: JSON.stringify({ ...auth, fileName: 'h.txt', file: 'aGk=' }),
      type: 'application/json',
    }),
    400,
    missingParameter('publicKey'),
  ),
  rawRow(
    'text/plain',
    (auth) => ({ body: formBody(auth), type: 'text/plain' }),
    400,
    missingParameter('publicKey'),
  ),
  rawRow('no content type', (auth) => ({ body: formBody(auth) }), 400, missingParameter('publicKey')),
  rawRow(
    'multipart/mixed',
    (auth) => ({ body: formBody(auth), type: `multipart/mixed; boundary=${BOUNDARY}` }),
    400,
    missingParameter('publicKey'),
  ),
  rawRow(
    'application/xml',
    () => ({ body: '<upload/>', type: 'application/xml' }),
    400,
    missingParameter('publicKey'),
  ),
  rawRow(
    'a urlencoded type over a JSON body',
    (auth) => ({ body: JSON.stringify(auth), type: 'application/x-www-form-urlencoded' }),
    400,
    missingParameter('publicKey'),
  ),
  rawRow(
    'a urlencoded type over a multipart body',
    (auth) => ({ body: formBody(auth), type: 'application/x-www-form-urlencoded' }),
    400,
    missingParameter('publicKey'),
  ),
  rawRow(
    'a multipart type with a charset and odd case',
    (auth) => ({ body: formBody(auth), type: `Multipart/Form-Data; charset=utf-8; boundary=${BOUNDARY}` }),
    200,
    undefined,
    stored,
  ),
  rawRow(
    'a second Content-Type header (the first counts)',
    (auth) => ({ body: formBody(auth), headers: { 'content-type': [multipartType(), 'text/plain'] } }),
    200,
    undefined,
    stored,
  ),
  rawRow(
    'urlencoded with a base64 file',
    (auth) => ({
      body: new URLSearchParams({
        ...auth,
        fileName: 'h.txt',
        file: Buffer.from('hostile bytes').toString('base64'),
      }).toString(),
      type: 'application/x-www-form-urlencoded',
    }),
    200,
    undefined,
    stored,
  ),
  rawRow(
    'urlencoded with text fields over 2 MiB',
    (auth) => ({
      body: `${new URLSearchParams({ ...auth, fileName: 'h.txt' })}&description=${'d'.repeat(2 * 1024 * 1024)}`,
      type: 'application/x-www-form-urlencoded',
    }),
    400,
    fieldsTooLarge(2 * 1024 * 1024),
  ),
  rawRow(
    'multipart with text fields over 2 MiB',
    (auth) => ({ body: formBody(auth, { description: 'd'.repeat(2 * 1024 * 1024) }), type: multipartType() }),
    400,
    fieldsTooLarge(2 * 1024 * 1024),
  ),
])

const rawHttp = (lines: string) => lines.replaceAll('\n', '\r\n')

describe('hostile HTTP', () => {
  it.each([
    [
      'headers over 16 KiB',
      `GET / HTTP/1.1\nHost: x\nX-Big: ${'b'.repeat(20_000)}\n\n`,
      431,
      'The request headers are too large.',
    ],
    [
      'a request target over 16 KiB',
      `GET /${'u'.repeat(20_000)} HTTP/1.1\nHost: x\n\n`,
      431,
      'The request headers are too large.',
    ],
    [
      'Content-Length with Transfer-Encoding (smuggling)',
      'POST /api/v1/files/upload HTTP/1.1\nHost: x\nContent-Length: 5\nTransfer-Encoding: chunked\n\n0\n\n',
      400,
      'The request is not valid HTTP/1.1.',
    ],
    [
      'two different Content-Lengths',
      'POST /api/v1/files/upload HTTP/1.1\nHost: x\nContent-Length: 5\nContent-Length: 6\n\nabcdef',
      400,
      'The request is not valid HTTP/1.1.',
    ],
    [
      'a negative Content-Length',
      'POST /api/v1/files/upload HTTP/1.1\nHost: x\nContent-Length: -1\n\n',
      400,
      'The request is not valid HTTP/1.1.',
    ],
    [
      'a bad chunk size mid-body',
      'POST /api/v1/files/upload HTTP/1.1\nHost: x\nContent-Type: multipart/form-data; boundary=b\nTransfer-Encoding: chunked\n\n3\n--b\nzz\n',
      400,
      'The request is not valid HTTP/1.1.',
    ],
    [
      'an obsolete folded header',
      'GET / HTTP/1.1\nHost: x\nX-Folded: a\n  b\n\n',
      400,
      'The request is not valid HTTP/1.1.',
    ],
    ['a space in the method', 'PO ST / HTTP/1.1\nHost: x\n\n', 400, 'The request is not valid HTTP/1.1.'],
    ['an HTTP/2 preface', 'PRI * HTTP/2.0\n\nSM\n\n', 400, 'The request is not valid HTTP/1.1.'],
    [
      'a NUL in a header',
      'GET / HTTP/1.1\nHost: x\nX-Nul: a\u0000b\n\n',
      400,
      'The request is not valid HTTP/1.1.',
    ],
  ])('answers %s with its status and a JSON body, and closes', async (_, text, status, message) => {
    const answer = await rawExchange(rawHttp(text))
    expect(rawStatus(answer)).toBe(status)
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ message })
  })

  it('routes an absolute-form request target by its path', async () => {
    const body = formBody(await freshAuth())
    const answer = await rawExchange(
      Buffer.concat([
        Buffer.from(
          rawHttp(
            `POST http://evil.example/api/v1/files/upload HTTP/1.1\nHost: evil.example\nConnection: close\nContent-Type: ${multipartType()}\nContent-Length: ${body.length}\n\n`,
          ),
        ),
        body,
      ]),
    )
    expect(rawStatus(answer)).toBe(200)
  })

  it('answers Expect: 100-continue and takes the body', async () => {
    const answer = await hit(endpoint(), {
      headers: { 'content-type': multipartType(), expect: '100-continue' },
      body: formBody(await freshAuth()),
    })
    expect(answer.status).toBe(200)
  })

  it.each([
    ['GET', '/api/v1/files/upload', 405, { message: 'Use POST to upload.' }],
    ['PUT', '/api/v2/files/upload', 405, { message: 'Use POST to upload.' }],
    ['DELETE', '/ik/anything.txt', 405, { message: 'Delivery URLs take GET and HEAD.' }],
    ['GET', '/nope', 404, { message: 'No route for GET /nope.' }],
    ['POST', '/auth', 405, { message: 'Method POST not allowed; use GET.' }],
    ['GET', '/ik/../ik.sqlite', 404, { message: 'No file at this URL.' }],
    ['GET', '/ik/%2e%2e/keys.json', 404, { message: 'No file at this URL.' }],
    ['GET', '/ik/..%2f..%2fetc%2fpasswd', 404, { message: 'No file at this URL.' }],
    ['GET', '/ik/tr:w-100/../../keys.json', 404, { message: 'No file at this URL.' }],
    ['GET', '/ik/%00', 404, { message: 'No file at this URL.' }],
    ['GET', '/ik/%E0%A4%A', 404, { message: 'No file at this URL.' }],
  ])('%s %s answers %i', async (method, path, status, body) => {
    const answer = await hit(server.url + path, { method })
    expect({ status: answer.status, body: answer.body }).toEqual({ status, body })
  })

  it('leaves the process healthy and accepts no replay', afterGroup)
})

group('fields, signatures, replays, paths and limits (shared with the msw handlers)', fieldRows)

describe('the suite', () => {
  it('sent at least 150 hostile requests', () => {
    expect(requests).toBeGreaterThanOrEqual(150)
  })
})
