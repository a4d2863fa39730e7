import { fetchTransport, signV2, upload } from '@ik-upload/core'
import { UploadRefusal, V2_PAYLOAD_MISMATCH } from '@ik-upload/core/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AUTH_V2_PATH } from '../src/index'
import { postForm, startTestServer, stopTestServer, storedRecords, type TestServer } from './helpers'

// The v2 auth exchange at /auth/v2 over HTTP, with a backend that forces a folder (authorizeV2),
// and uploads through it to /api/v2/files/upload.

const FORCED = '/from-backend'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer({
    authorizeV2: (_request, fields) => {
      if (fields.folder === '/refused') throw new UploadRefusal('Not in that folder.')
      return { ...fields, folder: FORCED, tags: 'signed-by-backend' }
    },
  })
})
afterAll(() => stopTestServer(server))

type Reply = { token: string; fields: Record<string, string> }

async function exchange(fields: Record<string, string>) {
  const response = await fetch(server.authEndpointV2, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
    body: JSON.stringify({ fields }),
  })
  return { status: response.status, headers: response.headers, body: (await response.json()) as Reply }
}

describe('the v2 auth endpoint', () => {
  it('is served at /auth/v2, open to every origin, and listed on GET /', async () => {
    expect(AUTH_V2_PATH).toBe('/auth/v2')
    expect(server.authEndpointV2).toBe(`${server.url}/auth/v2`)
    const info = (await (await fetch(server.url)).json()) as Record<string, string>
    expect(info.authEndpointV2).toBe(server.authEndpointV2)
    const preflight = await fetch(server.authEndpointV2, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type')
    const { status, headers } = await exchange({ fileName: 'a.txt' })
    expect(status).toBe(200)
    expect(headers.get('access-control-allow-origin')).toBe('*')
    expect(headers.get('cache-control')).toBe('no-store')
  })

  it("stores the file in the backend's folder, not the one the client asked for", async () => {
    const asked = { fileName: 'report.txt', folder: '/browser-wants-this' }
    const { status, body } = await exchange(asked)
    expect(status).toBe(200)
    expect(body.fields).toEqual({ fileName: 'report.txt', folder: FORCED, tags: 'signed-by-backend' })

    // The folder the browser asked for does not match the token.
    const forged = await postForm(server.uploadEndpointV2, [
      ...Object.entries(asked),
      ['token', body.token],
      ['file', new Blob(['hello']), 'report.txt'],
    ])
    expect(forged).toMatchObject({ status: 400, body: { message: V2_PAYLOAD_MISMATCH } })

    const { body: again } = await exchange(asked)
    const stored = await postForm(server.uploadEndpointV2, [
      ...Object.entries(again.fields),
      ['token', again.token],
      ['file', new Blob(['hello']), 'report.txt'],
    ])
    expect(stored.status).toBe(200)
    expect(stored.body.filePath).toMatch(/^\/from-backend\/report_[A-Za-z0-9_-]{9}\.txt$/)
    const record = storedRecords(server).current.find((file) => file.filePath === stored.body.filePath)
    expect(record).toMatchObject({ filePath: stored.body.filePath, tags: ['signed-by-backend'] })
  })

  it("the kit's v2 signer uploads there too: the backend's folder wins over the client's option", async () => {
    const result = await upload(new File(['kit'], 'kit.txt', { type: 'text/plain' }), {
      signer: signV2,
      authenticationEndpoint: server.authEndpointV2,
      uploadEndpoint: server.uploadEndpointV2,
      transport: fetchTransport,
      folder: '/client-choice',
    })
    expect(result.filePath).toMatch(/^\/from-backend\/kit_[A-Za-z0-9_-]{9}\.txt$/)
    expect(await (await fetch(result.url)).text()).toBe('kit')
  })

  it("answers the backend's refusal with 403 and its message, and bad bodies with 400", async () => {
    expect(await exchange({ fileName: 'a.txt', folder: '/refused' })).toMatchObject({
      status: 403,
      body: { message: 'Not in that folder.' },
    })
    const bad = await fetch(server.authEndpointV2, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { fileName: 'a.txt', publicKey: server.publicKey } }),
    })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { message: string }).message).toMatch(/cannot be signed: publicKey/)
    const get = await fetch(server.authEndpointV2)
    expect(get.status).toBe(405)
  })
})
