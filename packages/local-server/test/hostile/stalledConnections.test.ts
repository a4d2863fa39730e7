import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { UPLOAD_PATH_V1 } from '../../src/index'
import { authFields, startOrigin, startTestServer, stopTestServer, type TestServer } from '../helpers'
import {
  BOUNDARY,
  eventually,
  expectHealthy,
  fdsSettle,
  multipart,
  multipartType,
  openFds,
  rawConnection,
  rawJson,
  rawStatus,
  send,
  textParts,
} from './support'

// Issue 9, defect 4: stalled connections were never released. A client that stops half way (in
// its headers, in its body) or a reader that never reads must lose its connection within the
// shortened timeouts below, its temp file must go at once, and this process's descriptors must
// come back to their idle count. Each test waits for events (an answer, a close, a log entry), never
// for a fixed time; the timeouts are short only so the suite is quick.

let server: TestServer | undefined
let origin: Awaited<ReturnType<typeof startOrigin>> | undefined
afterEach(async () => {
  await stopTestServer(server)
  await origin?.close()
  server = undefined
  origin = undefined
})

/** The head of an upload whose file part is `fileBytes` long (Content-Length included). */
async function uploadHead(fileBytes: number): Promise<{ head: Buffer; length: number }> {
  const fields = multipart(
    [
      ...textParts({ ...(await authFields()), fileName: 'stalled.bin' }),
      { name: 'file', value: '', filename: 'stalled.bin' },
    ],
    BOUNDARY,
    false,
  )
  // The file part's headers end the fields; its bytes and the closing boundary come later.
  const partHead = fields.subarray(0, fields.length - 2)
  const length = partHead.length + fileBytes + `\r\n--${BOUNDARY}--\r\n`.length
  const head = Buffer.concat([
    Buffer.from(
      `POST ${UPLOAD_PATH_V1} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${multipartType()}\r\nContent-Length: ${length}\r\n\r\n`,
    ),
    partHead,
  ])
  return { head, length }
}

describe('stalled connections (defect 4)', () => {
  it('answers 408 and destroys a connection that sends half its headers and stalls, its half kept open', async () => {
    server = await startTestServer({ headersTimeoutMs: 300 })
    const idle = openFds()
    const client = await rawConnection(server.url)
    client.socket.write(`POST ${UPLOAD_PATH_V1} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty`)
    await client.ended
    expect(rawStatus(client.received())).toBe(408)
    expect(rawJson(client.received())).toEqual({ message: 'The request did not arrive in time.' })
    // The client still holds its half open; the server's end of it must be gone all the same.
    expect(await fdsSettle(idle + 1)).toBeLessThanOrEqual(idle + 1)
    client.socket.destroy()
    await expectHealthy(server, idle)
  })

  it('closes a connection that never sends a byte', async () => {
    server = await startTestServer({ headersTimeoutMs: 300, idleTimeoutMs: 300 })
    const idle = openFds()
    const client = await rawConnection(server.url)
    await client.ended
    expect(await fdsSettle(idle + 1)).toBeLessThanOrEqual(idle + 1)
    client.socket.destroy()
    await expectHealthy(server, idle)
  })

  it('destroys an upload whose body stalls while the client keeps its half open, and removes its temp file at once', async () => {
    server = await startTestServer({ idleTimeoutMs: 400 })
    const idle = openFds()
    const logged = server.nextLogEntry(UPLOAD_PATH_V1)
    const { head } = await uploadHead(4 * 1024 * 1024)
    const client = await rawConnection(server.url)
    client.socket.write(head)
    client.socket.write(Buffer.alloc(1024 * 1024, 7))
    // The file is being received: its temp file exists until the stall is noticed.
    const tmp = join(server.dataDir, 'tmp')
    expect(await eventually(() => readdirSync(tmp).length === 1)).toBe(true)
    // The log entry comes once the connection is closed and the handler has cleaned up.
    expect((await logged).status).toBe(0)
    expect(readdirSync(tmp)).toEqual([])
    expect(await fdsSettle(idle + 1)).toBeLessThanOrEqual(idle + 1)
    client.socket.destroy()
    await expectHealthy(server, idle)
  })

  it('cuts a body that trickles in under the idle timeout at the request timeout, with 408', async () => {
    server = await startTestServer({ idleTimeoutMs: 10_000, requestTimeoutMs: 600, headersTimeoutMs: 600 })
    const idle = openFds()
    const logged = server.nextLogEntry(UPLOAD_PATH_V1)
    const { head } = await uploadHead(1024 * 1024)
    const client = await rawConnection(server.url)
    client.socket.write(head)
    // One byte every 20 ms: never idle, never done.
    const trickle = setInterval(() => client.socket.write('x'), 20)
    try {
      await client.ended
    } finally {
      clearInterval(trickle)
    }
    expect(rawStatus(client.received())).toBe(408)
    expect((await logged).status).toBe(0)
    expect(await fdsSettle(idle + 1)).toBeLessThanOrEqual(idle + 1)
    client.socket.destroy()
    await expectHealthy(server, idle)
  })

  it('destroys the connection of a reader that never reads a multi-MB delivery', async () => {
    server = await startTestServer({ idleTimeoutMs: 400, maxFileSize: 64 * 1024 * 1024 })
    const fileBytes = 32 * 1024 * 1024
    const stored = await send(server.uploadEndpoint, {
      headers: { 'content-type': multipartType() },
      body: multipart([
        ...textParts({ ...(await authFields()), fileName: 'big.bin' }),
        { name: 'file', value: Buffer.alloc(fileBytes, 1), filename: 'big.bin' },
      ]),
    })
    expect(stored.status).toBe(200)
    const { filePath } = stored.body as { filePath: string }
    const idle = openFds()
    const logged = server.nextLogEntry(`/ik${filePath}`)
    const client = await rawConnection(server.url)
    // Asks for 32 MB and reads none of it: the kernels' buffers fill and the server's writes stop.
    client.socket.pause()
    client.socket.write(`GET /ik${filePath} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)
    expect((await logged).status).toBe(0)
    // The server's socket and the file's read stream are closed; only the client's socket is left.
    expect(await fdsSettle(idle + 1)).toBeLessThanOrEqual(idle + 1)
    client.socket.destroy()
    await expectHealthy(server, idle)
  })

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    server = await startTestServer({ keepAliveTimeoutMs: 200 })
    const idle = openFds()
    const client = await rawConnection(server.url)
    client.socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    await client.ended
    expect(rawStatus(client.received())).toBe(200)
    expect(await fdsSettle(idle + 1)).toBeLessThanOrEqual(idle + 1)
    client.socket.destroy()
    await expectHealthy(server, idle)
  })

  it.each([
    ['a request line that is not HTTP', 'NOT HTTP AT ALL\r\n\r\n', 400, 'The request is not valid HTTP/1.1.'],
    [
      'headers over 16 KiB',
      `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'The request headers are too large.',
    ],
    [
      'a bad Content-Length',
      'POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ten\r\n\r\n',
      400,
      'The request is not valid HTTP/1.1.',
    ],
  ])(
    'answers %s with its status and destroys the connection, though the client keeps its half open',
    async (_, text, status, message) => {
      server = await startTestServer()
      const idle = openFds()
      const client = await rawConnection(server.url)
      client.socket.write(text)
      await client.ended
      expect(rawStatus(client.received())).toBe(status)
      expect(rawJson(client.received())).toEqual({ message })
      expect(await fdsSettle(idle + 1)).toBeLessThanOrEqual(idle + 1)
      client.socket.destroy()
      await expectHealthy(server, idle)
    },
  )

  it('does not count the server’s own work as idle: a URL download slower than the idle timeout still succeeds', async () => {
    let release = () => {}
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    origin = await startOrigin((_req, res) => {
      void released.then(() => res.end('slow bytes'))
    })
    server = await startTestServer({ idleTimeoutMs: 200, allowPrivateUrls: true })
    const logged = server.nextLogEntry(UPLOAD_PATH_V1)
    const answer = send(server.uploadEndpoint, {
      headers: { 'content-type': multipartType() },
      body: multipart(
        textParts({ ...(await authFields()), fileName: 'slow.txt', file: `${origin.url}/slow` }),
      ),
    })
    // Hold the origin's answer for several idle timeouts: the client's connection is silent all along.
    const started = Date.now()
    await eventually(() => Date.now() - started > 1000, 2000)
    release()
    expect((await answer).status).toBe(200)
    expect((await logged).status).toBe(200)
  })
})
