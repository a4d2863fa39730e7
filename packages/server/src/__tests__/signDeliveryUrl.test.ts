import { upload } from '@ik-upload/core'
import { hmacSha1Hex } from '@ik-upload/core/protocol'
import { DEV_AUTH_ENDPOINT, DEV_PRIVATE_KEY, DEV_PUBLIC_KEY, uploadHandlers } from '@ik-upload/msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
// The real local server, through its own test helpers: what it accepts is what this must make.
import {
  makeImage,
  startTestServer,
  stopTestServer,
  TEST_PRIVATE_KEY,
  type TestServer,
  upload as uploadToLocalServer,
} from '../../../local-server/test/helpers'
import { signDeliveryUrl } from '../signDeliveryUrl'

const END = 'https://ik.imagekit.io/demo'
const NOW = Date.UTC(2026, 0, 1) // 1767225600 s
const now = () => NOW

describe('signDeliveryUrl', () => {
  it("matches the spec's test vector (no expiry: ik-s alone, signed with 9999999999)", async () => {
    const url = await signDeliveryUrl({
      privateKey: 'dummy-key',
      urlEndpoint: 'https://ik.imagekit.io/demo/',
      url: 'https://ik.imagekit.io/demo/sdk-testing-files/future-search.png',
    })
    expect(url).toBe(
      'https://ik.imagekit.io/demo/sdk-testing-files/future-search.png?ik-s=32dbbbfc5f945c0403c71b54c38e76896ef2d6b0',
    )
  })

  it('adds ik-t = now + expiresIn and signs the URL after the endpoint, query included, with it', async () => {
    const signed = await signDeliveryUrl({
      privateKey: 'k',
      urlEndpoint: END,
      url: `${END}/a%20b.jpg?tr=w-300,c-at_max`,
      expiresIn: 600,
      now,
    })
    const expiresAt = NOW / 1000 + 600
    expect(signed).toBe(
      `${END}/a%20b.jpg?tr=w-300,c-at_max&ik-t=${expiresAt}&ik-s=${await hmacSha1Hex('k', `a%20b.jpg?tr=w-300,c-at_max${expiresAt}`)}`,
    )
  })

  it('builds the URL from src and a transformation with buildSrc, path position too', async () => {
    const signed = await signDeliveryUrl({
      privateKey: 'k',
      urlEndpoint: END,
      src: '/private/a.jpg',
      transformation: [{ width: 100 }],
      transformationPosition: 'path',
    })
    expect(signed).toBe(
      `${END}/tr:w-100/private/a.jpg?ik-s=${await hmacSha1Hex('k', 'tr:w-100/private/a.jpg9999999999')}`,
    )
  })

  it('keeps a #fragment after the signature', async () => {
    const signed = await signDeliveryUrl({ privateKey: 'k', urlEndpoint: END, url: `${END}/a.jpg#x` })
    expect(signed).toBe(`${END}/a.jpg?ik-s=${await hmacSha1Hex('k', 'a.jpg9999999999')}#x`)
  })

  it.each([
    ['no private key', { privateKey: '', urlEndpoint: END, url: `${END}/a.jpg` }, 'privateKey is required'],
    ['no endpoint', { privateKey: 'k', urlEndpoint: '', url: `${END}/a.jpg` }, 'urlEndpoint is required'],
    ['nothing to sign', { privateKey: 'k', urlEndpoint: END }, 'pass url, or a src'],
    [
      'a URL of another endpoint',
      { privateKey: 'k', urlEndpoint: END, url: 'https://evil.example/demo/a.jpg' },
      'is not under urlEndpoint',
    ],
    [
      'a URL that only starts like the endpoint',
      { privateKey: 'k', urlEndpoint: END, url: `${END}-other/a.jpg` },
      'is not under urlEndpoint',
    ],
    ['a signed URL', { privateKey: 'k', urlEndpoint: END, url: `${END}/a.jpg?ik-s=abc` }, 'signed already'],
    [
      'a zero expiry',
      { privateKey: 'k', urlEndpoint: END, url: `${END}/a.jpg`, expiresIn: 0 },
      'expiresIn must be a positive number',
    ],
    [
      'an infinite expiry',
      { privateKey: 'k', urlEndpoint: END, url: `${END}/a.jpg`, expiresIn: Number.POSITIVE_INFINITY },
      'expiresIn must be a positive number',
    ],
  ])('throws a TypeError at once for %s', (_name, options, message) => {
    expect(() => signDeliveryUrl(options)).toThrow(TypeError)
    expect(() => signDeliveryUrl(options)).toThrow(message)
  })
})

describe('signed URLs are accepted where private files are served', () => {
  describe('by the msw mock', () => {
    const UPLOAD = 'https://upload.ikupload.test/api/v1/files/upload'
    const mock = uploadHandlers({ uploadEndpoint: UPLOAD })
    const server = setupServer(...mock.handlers)
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
    afterEach(() => mock.reset())
    afterAll(() => server.close())

    it('serves a private file at a signed URL, and refuses it unsigned', async () => {
      const result = await upload(new File(['secret'], 'secret.txt', { type: 'text/plain' }), {
        publicKey: DEV_PUBLIC_KEY,
        authenticationEndpoint: DEV_AUTH_ENDPOINT,
        uploadEndpoint: UPLOAD,
        isPrivateFile: true,
      })
      expect((await fetch(result.url)).status).toBe(401)
      const signed = await signDeliveryUrl({
        privateKey: DEV_PRIVATE_KEY,
        urlEndpoint: result.url.slice(0, -result.filePath.length),
        url: result.url,
        expiresIn: 60,
      })
      const response = await fetch(signed)
      expect(response.status).toBe(200)
      expect(await response.text()).toBe('secret')
    })
  })

  describe('by the local server', () => {
    let local: TestServer
    let filePath: string
    beforeAll(async () => {
      local = await startTestServer()
      const { body } = await uploadToLocalServer(
        local,
        { isPrivateFile: 'true', useUniqueFileName: 'false' },
        new Blob([await makeImage(400, 200)]),
        'private photo.jpg',
      )
      filePath = String(body.filePath)
    })
    afterAll(() => stopTestServer(local))

    const sign = (options: { src?: string; url?: string; expiresIn?: number; now?: () => number }) =>
      signDeliveryUrl({ privateKey: TEST_PRIVATE_KEY, urlEndpoint: local.urlEndpoint, ...options })

    it('serves a private file at a signed URL with an expiry, and refuses it unsigned', async () => {
      expect((await fetch(local.urlEndpoint + encodeURI(filePath))).status).toBe(401)
      const response = await fetch(await sign({ src: filePath, expiresIn: 60 }))
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('image/jpeg')
    })

    it('serves a transformed rendering at a signed URL, in both positions', async () => {
      for (const transformationPosition of ['query', 'path'] as const) {
        const url = await signDeliveryUrl({
          privateKey: TEST_PRIVATE_KEY,
          urlEndpoint: local.urlEndpoint,
          src: filePath,
          transformation: [{ width: 100 }],
          transformationPosition,
        })
        expect((await fetch(url)).status, transformationPosition).toBe(200)
      }
    })

    it('refuses an expired signature and a signature of another transformation', async () => {
      const expired = await sign({ src: filePath, expiresIn: 10, now: () => Date.now() - 60_000 })
      expect((await fetch(expired)).status).toBe(401)
      const signed = await sign({ url: `${local.urlEndpoint}${encodeURI(filePath)}?tr=w-100` })
      expect((await fetch(signed.replace('w-100', 'w-200'))).status).toBe(401)
    })
  })
})
