import { FILE_TOO_LARGE, FILE_URL_NOT_DOWNLOADED, HELP } from '@ik-upload/core/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isPublicAddress } from '../src/isPublicAddress'
import { startOrigin, startTestServer, stopTestServer, storedBlobs, type TestServer, upload } from './helpers'

// A `file` URL is downloaded by the server: with a header timeout, the size limit, and never from
// the server's own network unless allowed.

let origin: Awaited<ReturnType<typeof startOrigin>>
let open: TestServer
let guarded: TestServer

beforeAll(async () => {
  origin = await startOrigin((req, res) => {
    if (req.url === '/ok.txt') res.end('remote bytes')
    else if (req.url === '/redirect') {
      res.writeHead(302, { location: '/ok.txt' })
      res.end()
    } else if (req.url === '/loop') {
      res.writeHead(302, { location: '/loop' })
      res.end()
    } else if (req.url === '/silent') {
      // Never answers: the header timeout must fire.
    } else if (req.url === '/stall') {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.write('a few bytes, then nothing')
    } else if (req.url === '/endless') {
      // Chunked, no Content-Length: the limit is found while streaming.
      res.writeHead(200)
      const chunk = Buffer.alloc(16 * 1024)
      let sent = 0
      const pump = () => {
        while (sent < 1024 * 1024 && res.write(chunk)) sent += chunk.length
        if (sent < 1024 * 1024) res.once('drain', pump)
        else res.end()
      }
      pump()
    } else {
      res.statusCode = 500
      res.end()
    }
  })
  open = await startTestServer({ allowPrivateUrls: true, urlTimeoutMs: 300, maxFileSize: 64 * 1024 })
  guarded = await startTestServer()
})
afterAll(async () => {
  await stopTestServer(open)
  await stopTestServer(guarded)
  await origin.close()
})

const notDownloaded = { status: 400, body: { message: FILE_URL_NOT_DOWNLOADED, help: HELP } }

describe('file URLs', () => {
  it('are downloaded, following redirects', async () => {
    const { status, body } = await upload(open, {}, `${origin.url}/redirect`, 'remote.txt')
    expect(status).toBe(200)
    expect(await (await fetch(body.url as string)).text()).toBe('remote bytes')
  })

  it('are refused by default when they point at loopback, by IP or by name', async () => {
    const log = guarded.nextLogEntry('/api/v1/files/upload')
    expect(await upload(guarded, {}, `${origin.url}/ok.txt`, 'a.txt')).toMatchObject(notDownloaded)
    expect((await log).note).toMatch(/private address/)
    const byName = origin.url.replace('127.0.0.1', 'localhost')
    expect(await upload(guarded, {}, `${byName}/ok.txt`, 'a.txt')).toMatchObject(notDownloaded)
  })

  it('fail when the headers do not come in time', async () => {
    expect(await upload(open, {}, `${origin.url}/silent`, 'a.txt')).toMatchObject(notDownloaded)
  })

  it('fail when the body stalls', async () => {
    expect(await upload(open, {}, `${origin.url}/stall`, 'a.txt')).toMatchObject(notDownloaded)
  })

  it('fail on an error status and on a redirect loop', async () => {
    expect(await upload(open, {}, `${origin.url}/missing`, 'a.txt')).toMatchObject(notDownloaded)
    expect(await upload(open, {}, `${origin.url}/loop`, 'a.txt')).toMatchObject(notDownloaded)
  })

  it('stop at the size limit even without Content-Length, leaving no temp file', async () => {
    expect(await upload(open, {}, `${origin.url}/endless`, 'a.bin')).toMatchObject({
      status: 400,
      body: { message: FILE_TOO_LARGE, help: HELP },
    })
    expect(storedBlobs(open).tmp).toEqual([])
  })
})

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.8',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:a00:1',
    '[::1]',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false)
  })

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true)
    },
  )
})
