import {
  ACCOUNT_NOT_AUTHENTICATED,
  BOTH_AUTH_METHODS,
  CHECKS_FAILED,
  FILE_EXISTS,
  FILE_TOO_LARGE,
  FILE_URL_NOT_DOWNLOADED,
  HELP,
  INVALID_CHECKS_SYNTAX,
  INVALID_EXPIRE,
  INVALID_SIGNATURE,
  INVALID_TRANSFORMATION,
  invalidValue,
  missingParameter,
  signUploadJwt,
  signUploadToken,
  tokenUsed,
  V2_PAYLOAD_MISMATCH,
  V2_TOKEN_EXPIRED,
  V2_TOKEN_INVALID,
} from '@ik-upload/core/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MALFORMED_BODY } from '../src/handleUpload'
import {
  authFields,
  type Part,
  postForm,
  startOrigin,
  startTestServer,
  stopTestServer,
  TEST_PRIVATE_KEY,
  TEST_PUBLIC_KEY,
  type TestServer,
} from './helpers'

// Every refusal of spec section 3, each with its exact status and body, over real HTTP.

const MAX_FILE_SIZE = 64 * 1024
let server: TestServer
let origin: Awaited<ReturnType<typeof startOrigin>>

beforeAll(async () => {
  server = await startTestServer({ maxFileSize: MAX_FILE_SIZE, allowPrivateUrls: true, urlTimeoutMs: 2000 })
  origin = await startOrigin((req, res) => {
    if (req.url === '/big') {
      res.setHeader('Content-Length', MAX_FILE_SIZE * 2)
      res.end(Buffer.alloc(MAX_FILE_SIZE * 2))
    } else {
      res.statusCode = 404
      res.end('no')
    }
  })
})
afterAll(async () => {
  await stopTestServer(server)
  await origin.close()
})

const now = () => Math.floor(Date.now() / 1000)
const smallFile = () => new Blob([new Uint8Array(2048).fill(7)])

interface Row {
  name: string
  /** Field overrides on top of fresh signed fields and `fileName`; `undefined` removes a field. */
  fields?: Record<string, string | undefined>
  /** The `file` part: a Blob (binary part), a string (text part) or `null` for none. @default 2 KiB of bytes */
  file?: Blob | string | null
  /** Async setup that returns more field overrides (e.g. a token already spent). */
  prepare?: () => Promise<Record<string, string | undefined>>
  headers?: Record<string, string>
  status?: number
  message: string
}

/** Signs `token + expire` for rows that need a valid signature over an odd expire. */
const signed = async (expire: string) => {
  const token = crypto.randomUUID()
  return { token, expire, signature: await signUploadToken(TEST_PRIVATE_KEY, token, expire) }
}

const v1Rows: Row[] = [
  { name: 'no publicKey', fields: { publicKey: undefined }, message: missingParameter('publicKey') },
  { name: 'empty publicKey', fields: { publicKey: '' }, message: missingParameter('publicKey') },
  {
    name: 'unknown publicKey',
    fields: { publicKey: 'public_nobody' },
    status: 403,
    message: ACCOUNT_NOT_AUTHENTICATED,
  },
  {
    name: 'Basic auth and a signature',
    headers: { authorization: `Basic ${btoa(`${TEST_PRIVATE_KEY}:`)}` },
    message: BOTH_AUTH_METHODS,
  },
  { name: 'no signature', fields: { signature: undefined }, message: missingParameter('signature') },
  { name: 'no token', fields: { token: undefined }, message: missingParameter('token') },
  { name: 'no expire', fields: { expire: undefined }, message: missingParameter('expire') },
  { name: 'expire in the past', prepare: () => signed(String(now() - 10)), message: INVALID_EXPIRE },
  { name: 'expire not a number', prepare: () => signed('soon'), message: INVALID_EXPIRE },
  { name: 'expire with decimals', prepare: () => signed(`${now() + 60}.5`), message: INVALID_EXPIRE },
  {
    name: 'expire 1 hour and 1 second ahead',
    prepare: () => signed(String(now() + 3601)),
    message: INVALID_EXPIRE,
  },
  { name: 'expire 2 hours ahead', prepare: () => signed(String(now() + 7200)), message: INVALID_EXPIRE },
  { name: 'signature of another key', fields: { signature: '0'.repeat(40) }, message: INVALID_SIGNATURE },
  {
    name: 'signature in uppercase hex',
    prepare: async () => {
      const fields = await authFields()
      return { ...fields, signature: fields.signature?.toUpperCase() }
    },
    message: INVALID_SIGNATURE,
  },
  {
    name: 'token used by an earlier, successful upload',
    prepare: async () => {
      const fields = await authFields()
      const parts: Part[] = [...Object.entries(fields), ['fileName', 'x.bin'], ['file', smallFile(), 'x.bin']]
      expect((await postForm(server.uploadEndpoint, parts)).status).toBe(200)
      return fields
    },
    message: 'token used',
  },
  {
    name: 'token used by an earlier request that then failed',
    prepare: async () => {
      const fields = await authFields()
      const parts: Part[] = [...Object.entries(fields), ['fileName', 'x.bin'], ['tags', '100%']]
      expect((await postForm(server.uploadEndpoint, parts)).body.message).toBe(invalidValue('tags'))
      return fields
    },
    message: 'token used',
  },
  { name: 'no fileName', fields: { fileName: undefined }, message: missingParameter('fileName') },
  { name: 'empty fileName', fields: { fileName: '' }, message: missingParameter('fileName') },
  {
    name: 'useUniqueFileName not a boolean',
    fields: { useUniqueFileName: 'yes' },
    message: invalidValue('useUniqueFileName'),
  },
  { name: 'tags with %', fields: { tags: 'a,50%' }, message: invalidValue('tags') },
  { name: 'tags over 500 chars', fields: { tags: 'a'.repeat(501) }, message: invalidValue('tags') },
  { name: 'folder with ..', fields: { folder: '../etc' }, message: invalidValue('folder') },
  { name: 'folder with a space', fields: { folder: 'my folder' }, message: invalidValue('folder') },
  { name: 'folder 51 levels deep', fields: { folder: 'a/'.repeat(51) }, message: invalidValue('folder') },
  { name: 'isPrivateFile as 1', fields: { isPrivateFile: '1' }, message: invalidValue('isPrivateFile') },
  {
    name: 'customCoordinates with 3 numbers',
    fields: { customCoordinates: '10,10,100' },
    message: invalidValue('customCoordinates'),
  },
  {
    name: 'customCoordinates negative',
    fields: { customCoordinates: '-1,0,10,10' },
    message: invalidValue('customCoordinates'),
  },
  {
    name: 'responseFields with an unknown name',
    fields: { responseFields: 'tags,bogus' },
    message: invalidValue('responseFields'),
  },
  { name: 'isPublished in capitals', fields: { isPublished: 'TRUE' }, message: invalidValue('isPublished') },
  {
    name: 'overwriteFile not a boolean',
    fields: { overwriteFile: 'no' },
    message: invalidValue('overwriteFile'),
  },
  {
    name: 'overwriteTags not a boolean',
    fields: { overwriteTags: '0' },
    message: invalidValue('overwriteTags'),
  },
  {
    name: 'overwriteAITags not a boolean',
    fields: { overwriteAITags: 'x' },
    message: invalidValue('overwriteAITags'),
  },
  {
    name: 'overwriteCustomMetadata not a boolean',
    fields: { overwriteCustomMetadata: 'x' },
    message: invalidValue('overwriteCustomMetadata'),
  },
  {
    name: 'customMetadata an array',
    fields: { customMetadata: '[1]' },
    message: invalidValue('customMetadata'),
  },
  {
    name: 'customMetadata not JSON',
    fields: { customMetadata: '{bad' },
    message: invalidValue('customMetadata'),
  },
  {
    name: 'extensions not an array',
    fields: { extensions: '{"name":"remove-bg"}' },
    message: invalidValue('extensions'),
  },
  {
    name: 'extensions item without a name',
    fields: { extensions: '[{"maxTags":5}]' },
    message: invalidValue('extensions'),
  },
  {
    name: 'webhookUrl not http(s)',
    fields: { webhookUrl: 'ftp://hooks.example' },
    message: invalidValue('webhookUrl'),
  },
  { name: 'transformation not JSON', fields: { transformation: 'w-100' }, message: INVALID_TRANSFORMATION },
  {
    name: 'transformation with an unknown post type',
    fields: { transformation: '{"post":[{"type":"bogus"}]}' },
    message: INVALID_TRANSFORMATION,
  },
  {
    name: 'transformation with 6 post items',
    fields: { transformation: JSON.stringify({ post: Array(6).fill({ type: 'thumbnail', value: 'w-10' }) }) },
    message: INVALID_TRANSFORMATION,
  },
  { name: 'checks with bad syntax', fields: { checks: '"file.size" <' }, message: INVALID_CHECKS_SYNTAX },
  {
    name: 'checks the file fails on size',
    fields: { checks: '"file.size" < "1kb"' },
    message: CHECKS_FAILED,
  },
  {
    name: 'checks the file fails on mime',
    fields: { checks: '"file.mime" = "image/png"' },
    message: CHECKS_FAILED,
  },
  { name: 'no file', file: null, message: missingParameter('file') },
  { name: 'empty file text', file: '', message: missingParameter('file') },
  {
    name: 'file text that is no base64, data URI or URL',
    file: '%%% not base64 %%%',
    message: invalidValue('file'),
  },
  {
    name: 'binary file over the limit',
    file: new Blob([new Uint8Array(MAX_FILE_SIZE + 1)]),
    message: FILE_TOO_LARGE,
  },
  {
    name: 'base64 file over the limit',
    file: Buffer.alloc(MAX_FILE_SIZE + 3).toString('base64'),
    message: FILE_TOO_LARGE,
  },
  {
    name: 'data URI file over the limit',
    file: `data:application/octet-stream;base64,${Buffer.alloc(MAX_FILE_SIZE + 3).toString('base64')}`,
    message: FILE_TOO_LARGE,
  },
  { name: 'file URL that answers 404', file: 'URL:/missing', message: FILE_URL_NOT_DOWNLOADED },
  { name: 'file URL over the limit', file: 'URL:/big', message: FILE_TOO_LARGE },
  { name: 'file URL on a closed port', file: 'http://127.0.0.1:1/a.jpg', message: FILE_URL_NOT_DOWNLOADED },
  { name: 'file URL of another scheme', file: 'ftp://127.0.0.1/a.jpg', message: invalidValue('file') },
  {
    name: 'name taken with overwriteFile=false and useUniqueFileName=false',
    prepare: async () => {
      const fields = await authFields()
      const parts: Part[] = [
        ...Object.entries(fields),
        ['fileName', 'taken.bin'],
        ['useUniqueFileName', 'false'],
        ['file', smallFile(), 'taken.bin'],
      ]
      expect((await postForm(server.uploadEndpoint, parts)).status).toBe(200)
      return { fileName: 'taken.bin', useUniqueFileName: 'false', overwriteFile: 'false' }
    },
    message: FILE_EXISTS,
  },
  // The order of checks: one bad request always gets one stable answer.
  {
    name: 'order: a missing signature before a bad expire',
    fields: { signature: undefined, expire: 'soon' },
    message: missingParameter('signature'),
  },
  {
    name: 'order: a bad expire before a bad signature',
    fields: { expire: 'soon', signature: '0'.repeat(40) },
    message: INVALID_EXPIRE,
  },
  {
    name: 'order: a bad signature before a missing fileName and file',
    fields: { signature: '0'.repeat(40), fileName: undefined },
    file: null,
    message: INVALID_SIGNATURE,
  },
  {
    name: 'order: a missing fileName before bad tags',
    fields: { fileName: undefined, tags: '%' },
    message: missingParameter('fileName'),
  },
  {
    name: 'order: useUniqueFileName before tags (wire order)',
    fields: { tags: '%', useUniqueFileName: 'maybe' },
    message: invalidValue('useUniqueFileName'),
  },
  {
    name: 'order: bad options before a missing file',
    fields: { folder: 'a.b' },
    file: null,
    message: invalidValue('folder'),
  },
  {
    name: 'order: bad options before a file over the limit',
    fields: { customCoordinates: 'x' },
    file: new Blob([new Uint8Array(MAX_FILE_SIZE + 1)]),
    message: invalidValue('customCoordinates'),
  },
]

async function send(row: Row) {
  const fields: Record<string, string | undefined> = {
    ...(await authFields()),
    fileName: 'a.bin',
    ...(row.prepare ? await row.prepare() : {}),
    ...row.fields,
  }
  const parts: Part[] = Object.entries(fields).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  )
  let file = row.file === undefined ? smallFile() : row.file
  if (typeof file === 'string' && file.startsWith('URL:')) file = origin.url + file.slice(4)
  if (typeof file === 'string') parts.push(['file', file])
  else if (file) parts.push(['file', file, 'a.bin'])
  const response = await postForm(server.uploadEndpoint, parts, row.headers)
  return { response, fields }
}

describe('POST /api/v1/files/upload refuses', () => {
  it('with at least 40 distinct bad requests in the table', () => {
    expect(v1Rows.length).toBeGreaterThanOrEqual(40)
  })

  for (const row of v1Rows) {
    it(row.name, async () => {
      const { response, fields } = await send(row)
      const message = row.message === 'token used' ? tokenUsed(fields.token as string) : row.message
      expect({ status: response.status, body: response.body }).toEqual({
        status: row.status ?? 400,
        body: { message, help: HELP },
      })
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect(response.headers.get('access-control-allow-origin')).toBe('*')
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
      expect(response.headers.get('x-ik-requestid')).toBe(response.headers.get('x-request-id'))
    })
  }

  it('a body that is not a form, as a form without fields', async () => {
    const response = await fetch(server.uploadEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await authFields()),
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ message: missingParameter('publicKey'), help: HELP })
  })

  it('a malformed multipart body with a clean 400', async () => {
    const fields = await authFields()
    const boundary = 'XBOUNDARY'
    const head = Object.entries(fields)
      .map(
        ([name, value]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      )
      .join('')
    // A part whose headers never end: busboy reports a malformed form.
    const body = `${head}--${boundary}\r\nContent-Disposition: form-data; name="fileName"\r\n`
    const response = await fetch(server.uploadEndpoint, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ message: MALFORMED_BODY, help: HELP })
  })

  it('GET with 405', async () => {
    const response = await fetch(server.uploadEndpoint)
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST, OPTIONS')
  })
})

describe('POST /api/v2/files/upload refuses', () => {
  const v2 = async (fields: Record<string, string | undefined>, file: Blob | null = smallFile()) => {
    const parts: Part[] = Object.entries(fields).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    )
    if (file) parts.push(['file', file, 'a.bin'])
    return postForm(server.uploadEndpointV2, parts)
  }
  const jwt = (
    fields: Record<string, string>,
    options: { iat?: number; exp?: number; privateKey?: string; publicKey?: string } = {},
  ) =>
    signUploadJwt({
      publicKey: options.publicKey ?? TEST_PUBLIC_KEY,
      privateKey: options.privateKey ?? TEST_PRIVATE_KEY,
      fields,
      ...(options.iat !== undefined && { iat: options.iat }),
      ...(options.exp !== undefined && { exp: options.exp }),
    })
  const expectRefusal = (response: { status: number; body: unknown }, message: string, status = 400) =>
    expect({ status: response.status, body: response.body }).toEqual({
      status,
      body: { message, help: HELP },
    })

  it('a request without token', async () => {
    expectRefusal(await v2({ fileName: 'a.bin' }), missingParameter('token'))
  })

  it('a token that is not a JWT', async () => {
    expectRefusal(await v2({ token: 'not.a.jwt', fileName: 'a.bin' }), V2_TOKEN_INVALID)
  })

  it('a JWT signed with another key', async () => {
    const fields = { fileName: 'a.bin' }
    expectRefusal(
      await v2({ ...fields, token: await jwt(fields, { privateKey: 'wrong' }) }),
      V2_TOKEN_INVALID,
    )
  })

  it('a JWT whose kid is not a known public key', async () => {
    const fields = { fileName: 'a.bin' }
    expectRefusal(
      await v2({ ...fields, token: await jwt(fields, { publicKey: 'public_nobody' }) }),
      V2_TOKEN_INVALID,
    )
  })

  it('a JWT that lives more than an hour', async () => {
    const fields = { fileName: 'a.bin' }
    const token = await jwt(fields, { iat: now(), exp: now() + 3601 })
    expectRefusal(await v2({ ...fields, token }), V2_TOKEN_INVALID)
  })

  it('an expired JWT', async () => {
    const fields = { fileName: 'a.bin' }
    const token = await jwt(fields, { iat: now() - 100, exp: now() - 10 })
    expectRefusal(await v2({ ...fields, token }), V2_TOKEN_EXPIRED)
  })

  it('fields that differ from the payload (an option switched after signing)', async () => {
    const token = await jwt({ fileName: 'a.bin', useUniqueFileName: 'true' })
    expectRefusal(await v2({ fileName: 'a.bin', useUniqueFileName: 'false', token }), V2_PAYLOAD_MISMATCH)
  })

  it('a field added after signing', async () => {
    const token = await jwt({ fileName: 'a.bin' })
    expectRefusal(await v2({ fileName: 'a.bin', folder: 'other', token }), V2_PAYLOAD_MISMATCH)
  })

  it('a JWT used before', async () => {
    const fields = { fileName: 'a.bin' }
    const token = await jwt(fields)
    expect((await v2({ ...fields, token })).status).toBe(200)
    expectRefusal(await v2({ ...fields, token }), tokenUsed(token))
  })

  it('bad option values, after the token checks', async () => {
    const fields = { fileName: 'a.bin', tags: '%' }
    expectRefusal(await v2({ ...fields, token: await jwt(fields) }), invalidValue('tags'))
  })
})
