import { request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { HELP, tokenUsed } from '@ik-upload/core/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { UPLOAD_PATH_V1 } from '../../src/index'
import { authFields, startTestServer, stopTestServer, storedRecords, type TestServer } from '../helpers'
import {
  BOUNDARY,
  expectHealthy,
  multipart,
  multipartType,
  openFds,
  send,
  storageDrift,
  textParts,
} from './support'

// The suite's faults (issue 9): sockets cut at six points of an upload's body, with a FIN and with
// a reset; 200 concurrent 1 MB uploads; the default bind address. (Stalled headers and bodies:
// stalledConnections.test.ts; kill -9 mid-upload and restart: killRestart.test.ts.)

let server: TestServer | undefined
afterEach(async () => {
  await stopTestServer(server)
  server = undefined
})

/** An upload body split at the six points a connection can be cut at. */
function bodyPoints(fields: Record<string, string>, fileBytes: number) {
  const fieldPart = multipart(textParts(fields), BOUNDARY, false)
  const fileHead = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  )
  const file = Buffer.alloc(fileBytes, 3)
  const closing = Buffer.from(`\r\n--${BOUNDARY}--\r\n`)
  const body = Buffer.concat([fieldPart, fileHead, file, closing])
  const fileStart = fieldPart.length + fileHead.length
  return {
    body,
    points: {
      'before the fields': 0,
      'in the middle of a field': Math.floor(fieldPart.indexOf(fields.signature as string) + 10),
      'after the fields': fieldPart.length,
      'in the middle of the file': fileStart + Math.floor(fileBytes / 2),
      'before the closing boundary': fileStart + fileBytes,
      'after the closing boundary': body.length,
    } as const,
  }
}

/** Sends the head and `sent` bytes of `body`, then cuts the connection (FIN or reset). */
function cutUpload(url: string, body: Buffer, sent: number, reset: boolean): Promise<void> {
  const { port } = new URL(url)
  return new Promise((resolve) => {
    const socket: Socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(
        `POST ${UPLOAD_PATH_V1} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${multipartType()}\r\nContent-Length: ${body.length}\r\n\r\n`,
      )
      socket.write(body.subarray(0, sent), () => {
        if (reset) socket.resetAndDestroy()
        else socket.destroy()
      })
    })
    socket.on('error', () => {})
    socket.on('close', () => resolve())
  })
}

const replay = (target: TestServer, fields: Record<string, string>) =>
  send(target.uploadEndpoint, {
    headers: { 'content-type': multipartType() },
    body: multipart([...textParts(fields), { name: 'file', value: 'again', filename: 'a.bin' }]),
  })

describe('sockets cut at six points of the body', () => {
  const points = [
    'before the fields',
    'in the middle of a field',
    'after the fields',
    'in the middle of the file',
    'before the closing boundary',
    'after the closing boundary',
  ] as const

  for (const reset of [false, true]) {
    it.each(points)(
      `${reset ? 'reset' : 'closed'} %s: no temp file, no orphan, no half record, server alive`,
      async (point) => {
        server = await startTestServer()
        const idle = openFds()
        const fields: Record<string, string> = { ...(await authFields()), fileName: 'cut.bin' }
        const { body, points: at } = bodyPoints(fields, 512 * 1024)
        const logged = server.nextLogEntry(UPLOAD_PATH_V1)
        await cutUpload(server.url, body, at[point], reset)
        const entry = await logged
        const records = storedRecords(server).versions
        if (point === 'after the closing boundary') {
          // The whole request arrived: stored and answered into a closed socket, or dropped whole.
          expect(records.length).toBe(entry.status === 200 ? 1 : 0)
        } else {
          expect(entry.status).toBe(0)
          expect(records).toEqual([])
        }
        await expectHealthy(server, idle)
        // The token: unspent when the connection was cut (with a FIN, so every byte sent was read)
        // anywhere before the closing boundary, even once its fields were judged: a cut body is
        // malformed, never judged, as the msw handlers find it (issue 10). Spent by a whole body.
        const again = await replay(server, fields)
        if (!reset && at[point] < at['after the closing boundary']) expect(again.status).toBe(200)
        if (!reset && point === 'after the closing boundary')
          expect({ status: again.status, body: again.body }).toEqual({
            status: 400,
            body: { message: tokenUsed(fields.token as string), help: HELP },
          })
        await expectHealthy(server, idle)
      },
    )
  }
})

/** Streams one upload of `fileBytes` bytes from a shared chunk, so 200 of them hold little memory. */
function streamedUpload(url: string, fields: Record<string, string>, fileBytes: number, chunk: Buffer) {
  const head = multipart(
    [...textParts(fields), { name: 'file', value: '', filename: 'c.bin' }],
    BOUNDARY,
    false,
  )
  const partHead = head.subarray(0, head.length - 2)
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`)
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': multipartType(),
        'content-length': partHead.length + fileBytes + tail.length,
      },
    })
    req.on('response', (res) => {
      let text = ''
      res.on('data', (data) => {
        text += data
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
    })
    req.on('error', reject)
    void (async () => {
      req.write(partHead)
      for (let sent = 0; sent < fileBytes; sent += chunk.length) {
        if (!req.write(chunk.subarray(0, Math.min(chunk.length, fileBytes - sent))))
          await new Promise((drained) => req.once('drain', drained))
      }
      req.end(tail)
    })()
  })
}

describe('200 concurrent 1 MB uploads', () => {
  it('stores every one, each once, and leaves the process as it found it', async () => {
    server = await startTestServer()
    const idle = openFds()
    const chunk = Buffer.alloc(64 * 1024, 0x5a)
    const uploads = await Promise.all(
      Array.from({ length: 200 }, async (_, index) =>
        streamedUpload(
          (server as TestServer).uploadEndpoint,
          { ...(await authFields()), fileName: `c${index}.bin`, useUniqueFileName: 'false' },
          1024 * 1024,
          chunk,
        ),
      ),
    )
    expect(uploads.map((upload) => upload.status)).toEqual(Array(200).fill(200))
    expect(uploads.every((upload) => upload.body.size === 1024 * 1024)).toBe(true)
    expect(new Set(uploads.map((upload) => upload.body.filePath)).size).toBe(200)
    expect(storedRecords(server).versions).toHaveLength(200)
    expect(storageDrift(server.dataDir)).toEqual({ orphans: [], missing: [] })
    await expectHealthy(server, idle)
  }, 60_000)
})

describe('where it listens', () => {
  it('binds to 127.0.0.1 by default: another loopback address is refused', async () => {
    server = await startTestServer()
    const { port } = new URL(server.url)
    expect(server.url).toBe(`http://127.0.0.1:${port}`)
    // All of 127/8 is loopback on Linux: a server bound to every interface would answer here.
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.2', () => {
        socket.destroy()
        resolve('connected')
      })
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
    })
    expect(refused).toBe('ECONNREFUSED')
  })
})
