/**
 * Token prefetch (issue 11): while uploads run, the items next in line are checked and signed, so a
 * slot that frees starts sending at once. These tests pin its rules: bounded, never a token used
 * twice, none kept after abort/remove/clear, expiring ones dropped, one auth request per attempt,
 * and the v2 mode, where the token signs the item's fields.
 */
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { signUploadJwt } from '../../protocol/jwt'
import { createUploader, type UploaderOptions } from '../createUploader'
import type { AuthenticatorContext, AuthParams } from '../fetchAuthParams'
import { signV2 } from '../signV2'
import type { TransportResponse } from '../transport'
import { type Call, fakeTransport } from './fixtures/fakeTransport'

const respond = (status: number, body: unknown): TransportResponse => ({
  status,
  text: JSON.stringify(body),
  header: () => null,
})

const success = (call: Call | undefined) =>
  call?.resolve(
    respond(200, {
      fileId: `id-${call.fields.fileName}`,
      name: call.fields.fileName,
      filePath: `/${call.fields.fileName}`,
      url: `https://ik.test/${call.fields.fileName}`,
    }),
  )

async function flush() {
  for (let i = 0; i < 50; i++) await Promise.resolve()
}

/**
 * An authenticator that records every call (its signal and fields) and answers at once with a new
 * token, or, with `hold`, leaves the call pending until the test answers it.
 */
function recordingAuth(lifetime = 600) {
  const requests: { context: AuthenticatorContext; answer(): void; token: string }[] = []
  let hold = false
  const authenticator = (context: AuthenticatorContext) => {
    const token = `token-${requests.length + 1}`
    const params = (): AuthParams => ({
      token,
      expire: Math.floor(Date.now() / 1000) + lifetime,
      signature: 'signature',
    })
    return new Promise<AuthParams>((resolve) => {
      requests.push({ context, token, answer: () => resolve(params()) })
      if (!hold) resolve(params())
    })
  }
  return {
    requests,
    authenticator,
    holdNext(on = true) {
      hold = on
    },
  }
}

function setup(options: Partial<UploaderOptions> = {}) {
  const { calls, transport } = fakeTransport()
  const auth = recordingAuth()
  const uploader = createUploader({
    publicKey: 'public_test_key',
    authenticator: auth.authenticator,
    transport,
    stallTimeout: 0,
    ...options,
  })
  return { calls, uploader, auth }
}

const file = (name: string) => new File([new Uint8Array(10)], name, { type: 'text/plain' })
const files = (count: number) => Array.from({ length: count }, (_, i) => file(`${i + 1}.txt`))

afterEach(() => {
  vi.useRealTimers()
})

describe('createUploader: token prefetch', () => {
  it('signs the next item while the current one uploads, and shows it queued with its token in hand', async () => {
    const { uploader, calls, auth } = setup({ concurrency: 1 })
    uploader.add(files(3))
    await flush()
    expect(calls).toHaveLength(1)
    // The running upload's token, and one more for the next in line (prefetch defaults to concurrency).
    expect(auth.requests.map((request) => request.context.fields.fileName)).toEqual(['1.txt', '2.txt'])
    const [, next, last] = uploader.getSnapshot().items
    expect(next).toMatchObject({ status: 'queued', attempt: 1 })
    expect(next?.retryAt).toBeUndefined()
    expect(last).toMatchObject({ status: 'queued', attempt: 0 })
  })

  it('starts the next upload without waiting for auth when a token is in hand', async () => {
    const { uploader, calls, auth } = setup({ concurrency: 1 })
    uploader.add(files(3))
    await flush()
    // From now on no auth request answers: only a token already held can start an upload.
    auth.holdNext()
    success(calls[0])
    await flush()
    expect(calls).toHaveLength(2)
    expect(calls[1]?.fields).toMatchObject({ fileName: '2.txt', token: 'token-2' })
    expect(uploader.getSnapshot().items[1]?.status).toBe('uploading')
    // The third item's auth request went out as soon as the second one took the slot.
    expect(auth.requests).toHaveLength(3)
    expect(uploader.getSnapshot().items[2]?.status).toBe('authenticating')
  })

  it('starts uploads in queue order even when auth answers out of order', async () => {
    const { uploader, calls, auth } = setup({ concurrency: 1 })
    uploader.add(files(2))
    auth.holdNext()
    await flush()
    auth.requests[1]?.answer()
    await flush()
    // The second file holds its token, but the first one is ahead of it.
    expect(calls).toHaveLength(0)
    expect(uploader.getSnapshot().items[1]).toMatchObject({ status: 'queued', attempt: 1 })
    auth.requests[0]?.answer()
    await flush()
    expect(calls.map((call) => call.fields.fileName)).toEqual(['1.txt'])
    success(calls[0])
    await flush()
    expect(calls.map((call) => call.fields.token)).toEqual(['token-1', 'token-2'])
  })

  it('holds at most `prefetch` tokens beyond the running uploads (default: concurrency; 0: none)', async () => {
    for (const [prefetch, signed] of [
      [undefined, 4],
      [1, 3],
      [0, 2],
    ] as const) {
      const { uploader, calls, auth } = setup({ concurrency: 2, prefetch })
      uploader.add(files(10))
      await flush()
      expect(calls).toHaveLength(2)
      expect(auth.requests).toHaveLength(signed)
      success(calls[0])
      await flush()
      expect(calls).toHaveLength(3)
      expect(auth.requests).toHaveLength(signed + 1)
    }
  })

  it('makes exactly one auth request per upload attempt, and never sends a token twice (a retry signs again)', async () => {
    vi.useFakeTimers()
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const { uploader, calls, auth } = setup({ concurrency: 2 })
    uploader.add(files(5))
    await flush()
    calls[0]?.resolve(respond(503, { message: 'Busy' }))
    calls[1]?.reject(new TypeError('Failed to fetch'))
    await flush()
    for (let round = 0; round < 10 && uploader.getSnapshot().isUploading; round++) {
      await vi.advanceTimersByTimeAsync(1000)
      for (const call of calls) if (!call.signal.aborted) success(call)
      await flush()
    }
    expect(uploader.getSnapshot().results).toHaveLength(5)
    // 5 files, 2 of them twice: 7 attempts, 7 auth requests, 7 different tokens.
    expect(calls).toHaveLength(7)
    expect(auth.requests).toHaveLength(7)
    expect(new Set(calls.map((call) => call.fields.token)).size).toBe(7)
  })

  it.each(['abort', 'remove', 'clear'] as const)(
    '%s cancels a prefetch: the pending auth request is aborted and a held token is never sent',
    async (action) => {
      const { uploader, calls, auth } = setup({ concurrency: 1, prefetch: 2 })
      const [, held, pending] = uploader.add(files(3))
      auth.holdNext()
      await flush()
      auth.requests[0]?.answer()
      auth.requests[1]?.answer()
      await flush()
      // Item 1 uploads, item 2 holds token-2, item 3's auth request is in flight.
      expect(auth.requests).toHaveLength(3)
      expect(uploader.getSnapshot().items[1]).toMatchObject({ status: 'queued', attempt: 1 })
      if (action === 'clear') uploader.clear()
      else {
        uploader[action](held?.id as string)
        uploader[action](pending?.id as string)
      }
      expect(auth.requests[2]?.context.signal.aborted).toBe(true)
      auth.requests[2]?.answer()
      success(calls[0])
      await flush()
      expect(calls.map((call) => call.fields.token)).toEqual(['token-1'])
      expect(uploader.getSnapshot().isUploading).toBe(false)
    },
  )

  it('throws away a held token past half its lifetime and signs again when the slot frees', async () => {
    vi.useFakeTimers()
    const { uploader, calls, auth } = setup({ concurrency: 1 })
    uploader.add(files(3))
    await flush()
    success(calls[0])
    await flush()
    // token-2 (expires in 600 s) was used at once; token-3 is now held.
    expect(calls[1]?.fields.token).toBe('token-2')
    await vi.advanceTimersByTimeAsync(301_000)
    success(calls[1])
    await flush()
    expect(auth.requests).toHaveLength(4)
    expect(calls[2]?.fields).toMatchObject({ fileName: '3.txt', token: 'token-4' })
  })

  it('keeps a held token within the first half of its lifetime', async () => {
    vi.useFakeTimers()
    const { uploader, calls, auth } = setup({ concurrency: 1 })
    uploader.add(files(2))
    await flush()
    await vi.advanceTimersByTimeAsync(299_000)
    success(calls[0])
    await flush()
    expect(auth.requests).toHaveLength(2)
    expect(calls[1]?.fields.token).toBe('token-2')
  })

  it('never throws away a fresh short-lived token', async () => {
    vi.useFakeTimers()
    const { calls, transport } = fakeTransport()
    const auth = recordingAuth(30)
    const uploader = createUploader({
      publicKey: 'public_test_key',
      authenticator: auth.authenticator,
      transport,
      concurrency: 1,
      stallTimeout: 0,
    })
    uploader.add(files(3))
    await flush()
    // A 30 s token is used at once (it is fresh), and a held one is dropped after 15 s.
    expect(calls[0]?.fields.token).toBe('token-1')
    await vi.advanceTimersByTimeAsync(16_000)
    success(calls[0])
    await flush()
    expect(calls[1]?.fields.token).toBe('token-3')
  })

  it('exposes the fields an attempt sent, without the auth fields', async () => {
    const { uploader, calls } = setup({ folder: '/docs', tags: ['a', 'b'] })
    uploader.add([file('x.txt')])
    await flush()
    expect(calls[0]?.fields).toMatchObject({ publicKey: 'public_test_key', token: 'token-1' })
    expect(uploader.getSnapshot().items[0]?.fields).toEqual({
      fileName: 'x.txt',
      folder: '/docs',
      tags: 'a,b',
    })
    success(calls[0])
    await flush()
    expect(uploader.getSnapshot().items[0]).toMatchObject({ status: 'success', fields: { folder: '/docs' } })
  })
})

describe('createUploader: token prefetch with signV2', () => {
  const AUTH = 'https://app.test/api/imagekit-auth/v2'
  const asked: Record<string, string>[] = []
  const server = setupServer(
    // A v2 backend that forces every file into /user-42 and signs what it approved.
    http.post(AUTH, async ({ request }) => {
      const { fields } = (await request.json()) as { fields: Record<string, string> }
      asked.push(fields)
      const approved = { ...fields, folder: '/user-42' }
      const token = await signUploadJwt({
        publicKey: 'public_test_key',
        privateKey: 'private_test_key',
        fields: approved,
        iat: Math.floor(Date.now() / 1000) - asked.length,
      })
      return HttpResponse.json({ token, fields: approved })
    }),
  )
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterAll(() => server.close())

  it('signs the next item ahead with its own fields, and shows the fields the backend approved', async () => {
    const { calls, transport } = fakeTransport()
    const overrideParameters = vi.fn((candidate: File) => ({ tags: [candidate.name] }))
    const uploader = createUploader({
      signer: signV2,
      authenticationEndpoint: AUTH,
      uploadEndpoint: 'https://upload.test/api/v2/files/upload',
      transport,
      concurrency: 1,
      folder: '/asked',
      overrideParameters,
    })
    uploader.add(files(3))
    // The second item's token arrived: it waits in line with it (msw answers on a later task).
    await vi.waitFor(() =>
      expect(uploader.getSnapshot().items[1]).toMatchObject({ status: 'queued', attempt: 1 }),
    )
    expect(asked).toHaveLength(2)
    expect(calls).toHaveLength(1)
    // overrideParameters ran for the item ahead, so its token signs its own fields.
    expect(overrideParameters).toHaveBeenCalledTimes(2)
    expect(asked[1]).toEqual({ fileName: '2.txt', tags: '2.txt', folder: '/asked' })
    expect(uploader.getSnapshot().items[0]?.fields).toEqual({
      fileName: '1.txt',
      tags: '1.txt',
      folder: '/user-42',
    })
    expect(calls[0]?.fields.publicKey).toBeUndefined()
    success(calls[0])
    await vi.waitFor(() => expect(calls).toHaveLength(2))
    // The held v2 token went out with exactly the fields it signs.
    expect(calls[1]?.fields).toMatchObject({ fileName: '2.txt', tags: '2.txt', folder: '/user-42' })
    expect(calls[1]?.fields.token).not.toBe(calls[0]?.fields.token)
    expect(uploader.getSnapshot().items[1]?.fields).toEqual({
      fileName: '2.txt',
      tags: '2.txt',
      folder: '/user-42',
    })
  })
})
