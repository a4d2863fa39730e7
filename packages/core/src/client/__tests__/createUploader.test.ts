import { afterEach, describe, expect, it, vi } from 'vitest'
import { checkUploadOptions } from '../../protocol/checkUploadOptions'
import { createUploader, type UploaderOptions, type UploadItem } from '../createUploader'
import { imageDimensions } from '../imageDimensions'
import type { TransportResponse } from '../transport'
import { UploadError } from '../UploadError'
import { type Call, fakeTransport } from './fixtures/fakeTransport'

// Proof that the core never touches React: any import of it would get this empty module.
vi.mock('react', () => ({}))

const respond = (status: number, body: unknown, headers: Record<string, string> = {}): TransportResponse => ({
  status,
  text: JSON.stringify(body),
  header: (name) => headers[name.toLowerCase()] ?? null,
})

const success = (call: Call) =>
  call.resolve(
    respond(200, {
      fileId: `id-${call.fields.fileName}`,
      name: call.fields.fileName,
      size: 1,
      versionInfo: { id: 'v', name: 'Version 1' },
      filePath: `/${call.fields.fileName}`,
      url: `https://ik.test/${call.fields.fileName}`,
      fileType: 'non-image',
      AITags: null,
    }),
  )

/** Lets every pending promise chain run (auth, the uploader's steps) without touching timers. */
async function flush() {
  for (let i = 0; i < 50; i++) await Promise.resolve()
}

let tokens = 0
const authenticator = () => ({
  token: `token-${++tokens}`,
  expire: Math.floor(Date.now() / 1000) + 600,
  signature: 'signature',
})

function setup(options: Partial<UploaderOptions> = {}) {
  const { calls, transport } = fakeTransport()
  const base: UploaderOptions = { publicKey: 'public_test', authenticator, transport, ...options }
  const uploader = createUploader(base)
  return { calls, uploader, base }
}

const file = (name = 'a.txt', size = 100, type = 'text/plain') =>
  new File([new Uint8Array(size)], name, { type })

const statuses = (items: readonly UploadItem[]) => items.map((item) => item.status)

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('createUploader: the store', () => {
  it('starts empty, with no side effect (safe during server rendering)', () => {
    const { uploader } = setup()
    expect(uploader.getSnapshot()).toEqual({
      items: [],
      loaded: 0,
      total: 0,
      progress: 0,
      isUploading: false,
      results: [],
      errors: [],
    })
  })

  it('keeps the same snapshot object until something changes, and never mutates an old one', async () => {
    const { uploader, calls } = setup()
    const empty = uploader.getSnapshot()
    expect(uploader.getSnapshot()).toBe(empty)
    uploader.add([file()])
    const queued = uploader.getSnapshot()
    expect(queued).not.toBe(empty)
    expect(empty.items).toEqual([])
    const first = queued.items[0]
    // add() starts the upload at once, so the snapshot after it already shows the first step.
    expect(first?.status).toBe('validating')
    await flush()
    expect(uploader.getSnapshot().items[0]?.status).toBe('uploading')
    success(calls[0] as Call)
    await flush()
    expect(first?.status).toBe('validating')
    expect(uploader.getSnapshot().items[0]?.status).toBe('success')
  })

  it('goes queued → validating → authenticating → uploading → success, with the result', async () => {
    const { uploader, calls } = setup()
    const seen: string[] = []
    uploader.subscribe(() => seen.push(uploader.getSnapshot().items[0]?.status ?? ''))
    const [item] = uploader.add([file('report.txt')])
    expect(item?.status).toBe('queued')
    expect(item?.id).toMatch(/^ik\d+$/)
    await flush()
    success(calls[0] as Call)
    await flush()
    const done = uploader.getSnapshot()
    expect(done.items[0]).toMatchObject({ status: 'success', attempt: 1, loaded: 100, total: 100 })
    expect(done.results).toEqual([expect.objectContaining({ name: 'report.txt' })])
    expect(done.isUploading).toBe(false)
    expect(done.progress).toBe(100)
  })

  it('notifies at once when files are added, then coalesces what follows', async () => {
    vi.useFakeTimers()
    const { uploader } = setup()
    const listener = vi.fn()
    uploader.subscribe(listener)
    uploader.add([file()])
    expect(listener).toHaveBeenCalledTimes(1)
    await flush()
    expect(listener).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(50)
    expect(listener).toHaveBeenCalledTimes(2)
  })

  it('unsubscribes', async () => {
    vi.useFakeTimers()
    const { uploader } = setup()
    const listener = vi.fn()
    const unsubscribe = uploader.subscribe(listener)
    unsubscribe()
    uploader.add([file()])
    await vi.advanceTimersByTimeAsync(100)
    expect(listener).not.toHaveBeenCalled()
  })
})

describe('createUploader: the queue', () => {
  it('uploads at most 3 files at once by default, and starts the next when one ends', async () => {
    const { uploader, calls } = setup()
    uploader.add([file('1'), file('2'), file('3'), file('4'), file('5')])
    await flush()
    expect(calls).toHaveLength(3)
    expect(statuses(uploader.getSnapshot().items)).toEqual([
      'uploading',
      'uploading',
      'uploading',
      'queued',
      'queued',
    ])
    success(calls[1] as Call)
    await flush()
    expect(calls).toHaveLength(4)
    expect(calls[3]?.fields.fileName).toBe('4')
  })

  it('honours a concurrency option, and a raised one at once through setOptions', async () => {
    const { uploader, calls, base } = setup({ concurrency: 1 })
    uploader.add([file('1'), file('2'), file('3')])
    await flush()
    expect(calls).toHaveLength(1)
    uploader.setOptions({ ...base, concurrency: 3 })
    await flush()
    expect(calls).toHaveLength(3)
  })

  it('reports progress from the transport in file bytes, per item and in aggregate', async () => {
    const onUploadProgress = vi.fn()
    const { uploader, calls } = setup({ onUploadProgress })
    uploader.add([file('a', 1000), file('b', 3000)])
    await flush()
    // The multipart body is larger than the file: 500 of 2000 body bytes is a quarter of the file.
    calls[0]?.onProgress?.({ loaded: 500, total: 2000 })
    const state = uploader.getSnapshot()
    expect(state.items[0]?.loaded).toBe(250)
    expect(state.loaded).toBe(250)
    expect(state.total).toBe(4000)
    expect(state.progress).toBe(6)
    expect(onUploadProgress).toHaveBeenCalledWith(
      { loaded: 500, total: 2000 },
      expect.objectContaining({ loaded: 250 }),
    )
  })

  it('coalesces notifications: 100 progress events in a burst notify once', async () => {
    vi.useFakeTimers()
    const { uploader, calls } = setup()
    uploader.add([file('a', 10_000)])
    await flush()
    await vi.advanceTimersByTimeAsync(100)
    const listener = vi.fn()
    uploader.subscribe(listener)
    for (let i = 1; i <= 100; i++) calls[0]?.onProgress?.({ loaded: i * 100, total: 10_000 })
    expect(listener).not.toHaveBeenCalled()
    expect(uploader.getSnapshot().items[0]?.loaded).toBe(10_000)
    await vi.advanceTimersByTimeAsync(50)
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('notifies at once when the last unfinished file ends, without the coalescing delay', async () => {
    vi.useFakeTimers()
    const { uploader, calls } = setup()
    uploader.add([file('a'), file('b')])
    await flush()
    await vi.advanceTimersByTimeAsync(100)
    const listener = vi.fn()
    uploader.subscribe(listener)
    success(calls[0] as Call)
    await flush()
    // One file still uploads: its end waits for the coalesced notification.
    expect(listener).not.toHaveBeenCalled()
    success(calls[1] as Call)
    await flush()
    // The last one: shown at once, with isUploading false.
    expect(listener).toHaveBeenCalledTimes(1)
    expect(uploader.getSnapshot().isUploading).toBe(false)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('clears the retry timer when an item waiting to retry is aborted', async () => {
    vi.useFakeTimers()
    const { uploader, calls } = setup({ retryDelay: 50_000 })
    const [item] = uploader.add([file('a')])
    await flush()
    calls[0]?.resolve(respond(503, { message: 'busy' }))
    await flush()
    expect(uploader.getSnapshot().items[0]?.retryAt).toBeGreaterThan(Date.now())
    uploader.abort(item?.id)
    await flush()
    await vi.advanceTimersByTimeAsync(60)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('treats a concurrency that is not a number (NaN from a form) as the default of 3', async () => {
    const { uploader, calls } = setup({ concurrency: Number('abc'), prefetch: 0 })
    uploader.add(Array.from({ length: 8 }, (_, i) => file(`${i}.txt`)))
    await flush()
    expect(calls).toHaveLength(3)
  })

  it('puts an item retried from its onError at the end of the line, behind items holding tokens', async () => {
    let retried = false
    const { uploader, calls } = setup({
      concurrency: 1,
      prefetch: 2,
      retries: 0,
      onError(_error, item) {
        if (retried) return
        retried = true
        uploader.retry(item.id)
      },
    })
    uploader.add([file('a.txt'), file('b.txt')])
    await flush()
    calls[0]?.resolve(respond(400, { message: 'bad' }))
    await flush()
    expect(calls.map((call) => call.fields.fileName)).toEqual(['a.txt', 'b.txt'])
  })

  it('lets the files behind one waiting to retry its auth take the free slots', async () => {
    vi.useFakeTimers()
    let calls = 0
    const flaky = () => {
      // The first auth request fails like a dropped connection (retried after a 30 s backoff).
      if (++calls === 1) throw new UploadError('network', 'The authentication endpoint is unreachable.')
      return authenticator()
    }
    const { uploader, calls: uploads } = setup({ concurrency: 2, retryDelay: 30_000, authenticator: flaky })
    uploader.add([file('a.txt'), file('b.txt'), file('c.txt')])
    await flush()
    await flush()
    // a waits out its backoff; b and c, holding tokens, upload now instead of after it.
    expect(uploads.map((call) => call.fields.fileName)).toEqual(['b.txt', 'c.txt'])
    expect(uploader.getSnapshot().items[0]?.retryAt).toBeGreaterThan(Date.now())
  })

  it('ignores a progress event that comes after the upload ended', async () => {
    const { uploader, calls } = setup()
    const [item] = uploader.add([file('a', 1000)])
    await flush()
    uploader.abort(item?.id)
    calls[0]?.onProgress?.({ loaded: 900, total: 1000 })
    expect(uploader.getSnapshot().items[0]).toMatchObject({ status: 'aborted', loaded: 0 })
  })

  it('creates a preview URL for images only, and revokes it on remove and clear', async () => {
    const revoke = vi.spyOn(URL, 'revokeObjectURL')
    const { uploader } = setup()
    const [image, text, other] = uploader.add([
      file('a.png', 10, 'image/png'),
      file('b.txt'),
      file('c.gif', 10, 'image/gif'),
    ])
    expect(image?.previewUrl).toMatch(/^blob:/)
    expect(text?.previewUrl).toBeUndefined()
    uploader.remove(image?.id as string)
    expect(revoke).toHaveBeenCalledWith(image?.previewUrl)
    expect(uploader.getSnapshot().items.map((item) => item.id)).toEqual([text?.id, other?.id])
    uploader.clear()
    expect(revoke).toHaveBeenCalledWith(other?.previewUrl)
    expect(uploader.getSnapshot().items).toEqual([])
  })
})

describe('createUploader: retries', () => {
  it('retries a 503 with a NEW token after an exponential, jittered delay', async () => {
    vi.useFakeTimers()
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const { uploader, calls } = setup()
    uploader.add([file()])
    await flush()
    calls[0]?.resolve(respond(503, { message: 'Service unavailable', help: '' }))
    await flush()
    // While it waits it is queued again, keeps its attempt, and says when the next one starts.
    expect(uploader.getSnapshot().items[0]).toMatchObject({
      status: 'queued',
      attempt: 1,
      retryAt: Date.now() + 500,
    })
    // Equal jitter with random() = 0: half of 1000 ms.
    await vi.advanceTimersByTimeAsync(499)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    await flush()
    expect(calls).toHaveLength(2)
    expect(calls[1]?.fields.token).not.toBe(calls[0]?.fields.token)
    expect(uploader.getSnapshot().items[0]).toMatchObject({ status: 'uploading', attempt: 2 })
    expect(uploader.getSnapshot().items[0]?.retryAt).toBeUndefined()
    calls[1]?.resolve(respond(502, { message: 'Bad gateway' }))
    await flush()
    // Second retry: half of 2000 ms.
    await vi.advanceTimersByTimeAsync(999)
    expect(calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    await flush()
    expect(calls).toHaveLength(3)
    success(calls[2] as Call)
    await flush()
    expect(uploader.getSnapshot().items[0]).toMatchObject({ status: 'success', attempt: 3 })
  })

  it('retries a 503 from the auth endpoint too, with a new auth request (review bug: auth failures were never retried)', async () => {
    vi.useFakeTimers()
    vi.spyOn(Math, 'random').mockReturnValue(0)
    let authCalls = 0
    vi.stubGlobal('fetch', async () => {
      authCalls += 1
      return authCalls === 1
        ? new Response('busy', { status: 503 })
        : Response.json({ token: 'fresh', expire: Math.floor(Date.now() / 1000) + 600, signature: 's' })
    })
    const { uploader, calls } = setup({
      authenticator: undefined,
      authenticationEndpoint: 'https://app.test/auth',
    })
    uploader.add([file()])
    await flush()
    expect(calls).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(500)
    await flush()
    expect(authCalls).toBe(2)
    expect(calls[0]?.fields.token).toBe('fresh')
  })

  it('does not retry a 404 from the auth endpoint: that is a misconfiguration', async () => {
    vi.stubGlobal('fetch', async () => new Response('<h1>Not found</h1>', { status: 404 }))
    const { uploader } = setup({ authenticator: undefined, authenticationEndpoint: 'https://app.test/auth' })
    uploader.add([file()])
    await flush()
    expect(uploader.getSnapshot().items[0]).toMatchObject({ status: 'error', attempt: 1 })
  })

  it('waits as long as Retry-After says on a 429', async () => {
    vi.useFakeTimers()
    const { uploader, calls } = setup()
    uploader.add([file()])
    await flush()
    calls[0]?.resolve(respond(429, { message: 'Too many requests' }, { 'retry-after': '7' }))
    await flush()
    await vi.advanceTimersByTimeAsync(6999)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    await flush()
    expect(calls).toHaveLength(2)
  })

  it('reads Retry-After as an HTTP date too', async () => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    const { uploader, calls } = setup()
    uploader.add([file()])
    await flush()
    calls[0]?.resolve(respond(503, {}, { 'retry-after': 'Tue, 01 Jan 2030 00:00:20 GMT' }))
    await flush()
    expect(uploader.getSnapshot().items[0]).toMatchObject({ status: 'queued', retryAt: Date.now() + 20_000 })
    await vi.advanceTimersByTimeAsync(19_999)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    await flush()
    expect(calls).toHaveLength(2)
  })

  // Issue 9, defect 9: `Retry-After: 86400` parked the item in `uploading` for a day.
  it('fails at once, with retryAfter on the error, when Retry-After asks for more than maxRetryDelay (60 s)', async () => {
    vi.useFakeTimers()
    const onError = vi.fn()
    const { uploader, calls } = setup({ onError })
    uploader.add([file()])
    await flush()
    calls[0]?.resolve(respond(503, { message: 'Down for maintenance' }, { 'retry-after': '86400' }))
    await flush()
    const [item] = uploader.getSnapshot().items
    expect(item).toMatchObject({ status: 'error', attempt: 1 })
    expect(item?.error).toMatchObject({ code: 'server', status: 503, retryAfter: 86400 })
    expect(onError).toHaveBeenCalledTimes(1)
    expect(vi.getTimerCount()).toBeLessThanOrEqual(1) // at most the coalesced notification
  })

  // Issue 9, defect 9: `Retry-After: 3000000` overflowed setTimeout, which then fired after 4 ms.
  it('never retries early on a Retry-After past what setTimeout holds, even with maxRetryDelay: Infinity', async () => {
    vi.useFakeTimers()
    const { uploader, calls } = setup({ maxRetryDelay: Infinity })
    uploader.add([file()])
    await flush()
    calls[0]?.resolve(respond(429, {}, { 'retry-after': '3000000' }))
    await flush()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toHaveLength(1)
    expect(uploader.getSnapshot().items[0]?.error).toMatchObject({ status: 429, retryAfter: 3_000_000 })
  })

  it('honours a lower maxRetryDelay, and waits for a Retry-After within it', async () => {
    vi.useFakeTimers()
    const { uploader, calls } = setup({ maxRetryDelay: 10_000 })
    uploader.add([file('a'), file('b')])
    await flush()
    calls[0]?.resolve(respond(429, {}, { 'retry-after': '11' }))
    calls[1]?.resolve(respond(429, {}, { 'retry-after': '10' }))
    await flush()
    expect(statuses(uploader.getSnapshot().items)).toEqual(['error', 'queued'])
    await vi.advanceTimersByTimeAsync(10_000)
    await flush()
    expect(calls).toHaveLength(3)
  })

  it('stops the backoff from growing past maxRetryDelay', async () => {
    vi.useFakeTimers()
    vi.spyOn(Math, 'random').mockReturnValue(1)
    const { uploader, calls } = setup({ retries: 5, retryDelay: 1000, maxRetryDelay: 3000 })
    uploader.add([file()])
    await flush()
    const waits: number[] = []
    for (let attempt = 0; attempt < 5; attempt++) {
      calls[attempt]?.reject(new TypeError('Failed to fetch'))
      await flush()
      const { retryAt } = uploader.getSnapshot().items[0] ?? {}
      waits.push((retryAt ?? 0) - Date.now())
      await vi.advanceTimersByTimeAsync(3000)
      await flush()
    }
    // random() = 1: the whole delay, 1 s doubled each time, held at 3 s.
    expect(waits).toEqual([1000, 2000, 3000, 3000, 3000])
  })

  it('retries network errors, and gives up after `retries` with the last error', async () => {
    vi.useFakeTimers()
    const onError = vi.fn()
    const { uploader, calls } = setup({ retries: 1, retryDelay: 10, onError })
    uploader.add([file()])
    await flush()
    calls[0]?.reject(new TypeError('Failed to fetch'))
    await flush()
    await vi.advanceTimersByTimeAsync(10)
    await flush()
    calls[1]?.reject(new TypeError('Failed to fetch'))
    await flush()
    await vi.advanceTimersByTimeAsync(1000)
    expect(calls).toHaveLength(2)
    const [item] = uploader.getSnapshot().items
    expect(item?.status).toBe('error')
    expect(item?.error).toMatchObject({ code: 'network' })
    expect(onError).toHaveBeenCalledTimes(1)
    expect(uploader.getSnapshot().errors).toEqual([item?.error])
  })

  it('never retries a 4xx other than 429', async () => {
    vi.useFakeTimers()
    const { uploader, calls } = setup()
    uploader.add([file()])
    await flush()
    calls[0]?.resolve(respond(400, { message: 'Your request contains invalid value for folder parameter.' }))
    await flush()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toHaveLength(1)
    expect(uploader.getSnapshot().items[0]?.error).toMatchObject({
      code: 'server',
      status: 400,
      message: 'Your request contains invalid value for folder parameter.',
    })
  })

  it('retry(id) queues a failed item again from its first attempt', async () => {
    const { uploader, calls } = setup({ retries: 0 })
    const [item] = uploader.add([file()])
    await flush()
    calls[0]?.resolve(respond(500, { message: 'Internal error' }))
    await flush()
    expect(uploader.getSnapshot().items[0]?.status).toBe('error')
    uploader.retry(item?.id as string)
    // A slot is free, so it starts at once.
    expect(uploader.getSnapshot().items[0]).toMatchObject({ status: 'validating', attempt: 0 })
    expect(uploader.getSnapshot().items[0]?.error).toBeUndefined()
    await flush()
    success(calls[1] as Call)
    await flush()
    expect(uploader.getSnapshot().items[0]?.status).toBe('success')
  })
})

// Issue 9, defect 9: a server that takes the body and never answers held a queue slot forever.
describe('createUploader: stalled uploads', () => {
  it('aborts an attempt with no progress and no answer for 30 s as a timeout, and retries it', async () => {
    vi.useFakeTimers()
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const { uploader, calls } = setup()
    uploader.add([file()])
    await flush()
    calls[0]?.onProgress?.({ loaded: 100, total: 100 })
    await vi.advanceTimersByTimeAsync(29_999)
    expect(calls[0]?.signal.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    await flush()
    expect(calls[0]?.signal.aborted).toBe(true)
    expect(uploader.getSnapshot().items[0]).toMatchObject({ status: 'queued', attempt: 1 })
    await vi.advanceTimersByTimeAsync(500)
    await flush()
    expect(calls).toHaveLength(2)
    success(calls[1] as Call)
    await flush()
    expect(uploader.getSnapshot().items[0]).toMatchObject({ status: 'success', attempt: 2 })
  })

  it('restarts the stall clock on every progress event', async () => {
    vi.useFakeTimers()
    const { uploader, calls } = setup()
    uploader.add([file()])
    await flush()
    for (let loaded = 10; loaded <= 100; loaded += 10) {
      await vi.advanceTimersByTimeAsync(20_000)
      calls[0]?.onProgress?.({ loaded, total: 100 })
    }
    expect(calls[0]?.signal.aborted).toBe(false)
  })

  it('ends in a timeout error after the retries, freeing the slot', async () => {
    vi.useFakeTimers()
    const { uploader, calls } = setup({ retries: 1, retryDelay: 10, stallTimeout: 5_000, concurrency: 1 })
    uploader.add([file('a'), file('b')])
    await flush()
    await vi.advanceTimersByTimeAsync(5_000)
    await flush()
    await vi.advanceTimersByTimeAsync(10)
    await flush()
    await vi.advanceTimersByTimeAsync(5_000)
    await flush()
    const [stalled, next] = uploader.getSnapshot().items
    expect(stalled).toMatchObject({ status: 'error', attempt: 2 })
    expect(stalled?.error).toMatchObject({ code: 'timeout', message: 'The upload timed out.' })
    expect(next?.status).toBe('uploading')
    expect(calls).toHaveLength(3)
  })

  it.each([0, Infinity])('stallTimeout: %s turns it off', async (stallTimeout) => {
    vi.useFakeTimers()
    const { uploader, calls } = setup({ stallTimeout })
    uploader.add([file()])
    await flush()
    await vi.advanceTimersByTimeAsync(3_600_000)
    expect(calls[0]?.signal.aborted).toBe(false)
    expect(uploader.getSnapshot().items[0]?.status).toBe('uploading')
  })
})

describe('createUploader: abort', () => {
  it('aborts one running item: its request is cancelled and the next queued one starts', async () => {
    const onError = vi.fn()
    const { uploader, calls } = setup({ concurrency: 1, onError })
    const [first] = uploader.add([file('1'), file('2')])
    await flush()
    uploader.abort(first?.id)
    expect(calls[0]?.signal.aborted).toBe(true)
    expect(uploader.getSnapshot().items[0]).toMatchObject({
      status: 'aborted',
      error: expect.objectContaining({ code: 'aborted' }),
    })
    await flush()
    // The next one was signed ahead (prefetch), so it starts sending in the freed slot.
    expect(uploader.getSnapshot().items[1]?.status).toBe('uploading')
    expect(calls).toHaveLength(2)
    // Abort is the user's intent, not a failure: no onError, and not among the errors.
    expect(onError).not.toHaveBeenCalled()
    expect(uploader.getSnapshot().errors).toEqual([])
  })

  it('abort() stops every running and queued item, and leaves finished ones alone', async () => {
    const { uploader, calls } = setup({ concurrency: 2 })
    uploader.add([file('1'), file('2'), file('3')])
    await flush()
    success(calls[0] as Call)
    await flush()
    uploader.abort()
    expect(statuses(uploader.getSnapshot().items)).toEqual(['success', 'aborted', 'aborted'])
    expect(calls.slice(1).every((call) => call.signal.aborted)).toBe(true)
    await flush()
    expect(calls).toHaveLength(3)
    expect(uploader.getSnapshot().isUploading).toBe(false)
  })

  it('aborts during the retry delay', async () => {
    vi.useFakeTimers()
    const { uploader, calls } = setup()
    const [item] = uploader.add([file()])
    await flush()
    calls[0]?.resolve(respond(503, {}))
    await flush()
    uploader.abort(item?.id)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(calls).toHaveLength(1)
    expect(uploader.getSnapshot().items[0]?.status).toBe('aborted')
  })

  it('retry(id) restarts an aborted item', async () => {
    const { uploader, calls } = setup()
    const [item] = uploader.add([file()])
    await flush()
    uploader.abort(item?.id)
    uploader.retry(item?.id as string)
    await flush()
    expect(calls).toHaveLength(2)
    success(calls[1] as Call)
    await flush()
    expect(uploader.getSnapshot().items[0]?.status).toBe('success')
  })
})

describe('createUploader: restrictions', () => {
  it('refuses files over maxFileSize (default 25 MB) at once, as data with a code and a message that says both sizes', () => {
    const onError = vi.fn()
    const { uploader } = setup({ onError })
    const [big, small] = uploader.add([file('big.bin', 26_214_401), file('ok.bin', 26_214_400)])
    expect(big).toMatchObject({
      status: 'error',
      rejection: {
        code: 'file-too-large',
        // Rounded up: a file over the limit never reads as the limit itself.
        message: 'big.bin is 25.1 MB; the limit is 25 MB.',
      },
      error: expect.objectContaining({ code: 'validation', field: 'file' }),
    })
    expect(small?.status).toBe('queued')
    expect(onError).toHaveBeenCalledWith(big?.error, big)
    const [tiny] = createUploader({ publicKey: 'k', maxFileSize: 10 }).add([file('a', 11)])
    expect(tiny?.rejection?.code).toBe('file-too-large')
  })

  it('says the file, what it is and what is allowed in every refusal (issue 13)', () => {
    const { uploader } = setup({ accept: 'image/*, .pdf', maxFiles: 1, maxFileSize: 10 * 1024 * 1024 })
    const [type, typeless, size, ok, count] = uploader.add([
      file('notes.txt', 1, 'text/plain'),
      file('blob', 1, ''),
      file('photo.jpg', 31_666_995, 'image/jpeg'),
      file('cv.pdf', 1, 'application/pdf'),
      file('second.png', 1, 'image/png'),
    ])
    expect(type?.rejection?.message).toBe('notes.txt is text/plain; allowed types: image/*, .pdf.')
    expect(typeless?.rejection?.message).toBe('blob is of unknown type; allowed types: image/*, .pdf.')
    expect(size?.rejection?.message).toBe('photo.jpg is 30.2 MB; the limit is 10 MB.')
    expect(ok?.status).toBe('queued')
    expect(count?.rejection?.message).toBe('second.png would be file 2; the limit is 1.')
  })

  it.each([
    [26_214_401, 26_214_400, 'is 25.1 MB; the limit is 25 MB.'],
    [2000, 1000, 'is 2 KB; the limit is 1000 B.'],
    [1025, 1024, 'is 1.1 KB; the limit is 1 KB.'],
    [3 * 1024 ** 3, 2.5 * 1024 ** 3, 'is 3 GB; the limit is 2.5 GB.'],
  ])(
    'words a %i B file over a %i B limit with units of 1,024, sizes rounded up and limits down',
    (size, maxFileSize, text) => {
      const big = { name: 'f.bin', size, type: '' } as File
      const [item] = setup({ maxFileSize }).uploader.add([big])
      expect(item?.rejection?.message).toBe(`f.bin ${text}`)
    },
  )

  it('accepts by MIME type, wildcard and extension, case-insensitively', () => {
    const { uploader } = setup({ accept: 'image/*, application/pdf,.CSV' })
    const items = uploader.add([
      file('a.png', 1, 'image/png'),
      file('b.pdf', 1, 'application/pdf'),
      file('c.csv', 1, ''),
      file('d.exe', 1, 'application/x-msdownload'),
    ])
    expect(items.map((item) => item.rejection?.code)).toEqual([
      undefined,
      undefined,
      undefined,
      'file-invalid-type',
    ])
    const [array] = createUploader({ publicKey: 'k', accept: ['.txt'] }).add([file('x.txt')])
    expect(array?.status).toBe('queued')
  })

  it('accepts anything for * and */*, and ignores an empty rule from a trailing comma (review bug)', () => {
    expect(
      setup({ accept: '*/*' }).uploader.add([file('a.bin', 1, 'application/octet-stream')])[0]?.status,
    ).toBe('queued')
    expect(setup({ accept: '*' }).uploader.add([file('a.bin', 1, '')])[0]?.status).toBe('queued')
    const [typeless] = setup({ accept: 'image/*,' }).uploader.add([file('x.bin', 1, '')])
    expect(typeless?.rejection?.code).toBe('file-invalid-type')
  })

  it('runs one upload at a time for concurrency 0 instead of stalling (review bug)', async () => {
    const { uploader, calls } = setup({ concurrency: 0 })
    uploader.add([file('a.txt'), file('b.txt')])
    await flush()
    expect(calls).toHaveLength(1)
  })

  it('refuses files past maxFiles, counting queued, running and uploaded items but not failed ones', () => {
    const { uploader } = setup({ maxFiles: 2, maxFileSize: 50 })
    const first = uploader.add([file('big', 100), file('1', 1), file('2', 1), file('3', 1)])
    expect(first.map((item) => item.rejection?.code)).toEqual([
      'file-too-large',
      undefined,
      undefined,
      'too-many-files',
    ])
    uploader.remove(first[1]?.id as string)
    expect(uploader.add([file('4', 1)])[0]?.status).toBe('queued')
  })

  it.each([
    ['tags over 500 characters', { tags: 'x'.repeat(501) }, 'tags'],
    ['tags with %', { tags: ['50%'] }, 'tags'],
    ['bad customCoordinates', { customCoordinates: '10,10,100' }, 'customCoordinates'],
    [
      'customCoordinates of 400 digits',
      { customCoordinates: `${'9'.repeat(400)},0,1,1` },
      'customCoordinates',
    ],
    ['unknown responseFields', { responseFields: 'tags,secret' }, 'responseFields'],
    ['a bad folder', { folder: 'my folder' }, 'folder'],
    [
      'a non-string value from plain JavaScript',
      { tags: 5 as never, customCoordinates: 7 as never },
      'customCoordinates',
    ],
  ])(
    'with checkOptions: checkUploadOptions, refuses %s with the server message before any auth or upload request',
    async (_name, fields, field) => {
      const onError = vi.fn()
      const onUploadStart = vi.fn()
      const auth = vi.fn(authenticator)
      const { uploader, calls } = setup({
        ...fields,
        checkOptions: checkUploadOptions,
        onError,
        onUploadStart,
        authenticator: auth,
      })
      uploader.add([file()])
      await flush()
      const [item] = uploader.getSnapshot().items
      expect(item?.status).toBe('error')
      expect(item?.error).toMatchObject({
        code: 'validation',
        field,
        message: `Your request contains invalid value for ${field} parameter.`,
      })
      expect(onError).toHaveBeenCalledTimes(1)
      expect(onUploadStart).not.toHaveBeenCalled()
      expect(auth).not.toHaveBeenCalled()
      expect(calls).toHaveLength(0)
    },
  )

  it('checks the fields that overrideParameters gives a file', async () => {
    const { uploader, calls } = setup({
      checkOptions: checkUploadOptions,
      overrideParameters: () => ({ folder: 'a.b' }),
    })
    uploader.add([file()])
    await flush()
    expect(uploader.getSnapshot().items[0]?.error).toMatchObject({ field: 'folder' })
    expect(calls).toHaveLength(0)
  })

  it('leaves option values to the upload server without checkOptions (the rules stay out of the bundle)', async () => {
    const { uploader, calls } = setup({ folder: 'a.b' })
    uploader.add([file()])
    await flush()
    expect(calls).toHaveLength(1)
  })

  it('does not retry a refused file', async () => {
    const { uploader, calls } = setup({ maxFileSize: 1 })
    const [item] = uploader.add([file('a', 2)])
    uploader.retry(item?.id as string)
    await flush()
    expect(uploader.getSnapshot().items[0]?.status).toBe('error')
    expect(calls).toHaveLength(0)
  })

  it('validateFile: false refuses, a message refuses with it, anything else accepts; it may be async', async () => {
    const validateFile = vi.fn(async (candidate: File) =>
      candidate.name === 'no' ? false : candidate.name === 'why' ? 'Name it better.' : true,
    )
    const { uploader, calls } = setup({ validateFile })
    uploader.add([file('no'), file('why'), file('yes')])
    await flush()
    const [no, why, yes] = uploader.getSnapshot().items
    expect(no?.rejection).toEqual({ code: 'invalid-file', message: 'no was refused.' })
    expect(why?.rejection).toEqual({ code: 'invalid-file', message: 'Name it better.' })
    expect(yes?.status).toBe('uploading')
    expect(calls).toHaveLength(1)
  })

  it('checkImage: imageDimensions refuses images outside the limits (read with createImageBitmap, the bitmap closed), and only images are checked', async () => {
    const close = vi.fn()
    vi.stubGlobal(
      'createImageBitmap',
      vi.fn(async (blob: File) => {
        const [width = 0, height = 0] = blob.name.split('.')[0]?.split('x').map(Number) ?? []
        return { width, height, close }
      }),
    )
    const { uploader } = setup({
      checkImage: imageDimensions({ minWidth: 100, minHeight: 50, maxWidth: 1000 }),
    })
    uploader.add([
      file('50x80.png', 1, 'image/png'),
      file('200x40.png', 1, 'image/png'),
      file('2000x80.png', 1, 'image/png'),
      file('500x500.png', 1, 'image/png'),
      file('10x10.txt', 1, 'text/plain'),
    ])
    await flush()
    const items = uploader.getSnapshot().items
    expect(items.map((item) => item.rejection?.code)).toEqual([
      'image-too-small',
      'image-too-small',
      'image-too-large',
      undefined,
      undefined,
    ])
    expect(items.map((item) => item.rejection?.message)).toEqual([
      '50x80.png is 50×80 px; it must be at least 100 px wide.',
      '200x40.png is 200×40 px; it must be at least 50 px high.',
      '2000x80.png is 2000×80 px; it must be at most 1000 px wide.',
      undefined,
      undefined,
    ])
    expect(close).toHaveBeenCalledTimes(4)
  })

  it('imageDimensions refuses an image it cannot decode when a dimension limit is set', async () => {
    vi.stubGlobal('createImageBitmap', () => Promise.reject(new DOMException('bad', 'InvalidStateError')))
    const { uploader } = setup({ checkImage: imageDimensions({ minWidth: 1 }) })
    uploader.add([file('broken.png', 1, 'image/png')])
    await flush()
    expect(uploader.getSnapshot().items[0]?.rejection).toEqual({
      code: 'image-too-small',
      message: 'broken.png could not be read as an image.',
    })
  })

  it('decodes no image without checkImage, nor with imageDimensions given no limit', async () => {
    const decode = vi.fn(async () => ({ width: 1, height: 1, close() {} }))
    vi.stubGlobal('createImageBitmap', decode)
    for (const options of [{}, { checkImage: imageDimensions({}) }]) {
      const { uploader } = setup(options)
      uploader.add([file('a.png', 1, 'image/png')])
      await flush()
      expect(uploader.getSnapshot().items[0]?.status).toBe('uploading')
    }
    expect(decode).not.toHaveBeenCalled()
  })

  it('checkImage runs after validateFile, for images only; its rejection refuses the file before any request', async () => {
    const checkImage = vi.fn(async (image: File) =>
      image.name === 'wide.png'
        ? { code: 'image-too-large' as const, message: 'wide.png is too wide.' }
        : undefined,
    )
    const validateFile = vi.fn((candidate: File) => candidate.name !== 'refused.png')
    const { uploader, calls } = setup({ checkImage, validateFile })
    uploader.add([file('wide.png', 1, 'image/png'), file('refused.png', 1, 'image/png'), file('a.txt')])
    await flush()
    const [wide, refused, text] = uploader.getSnapshot().items
    expect(wide?.rejection).toEqual({ code: 'image-too-large', message: 'wide.png is too wide.' })
    expect(wide?.error?.code).toBe('validation')
    expect(refused?.rejection?.code).toBe('invalid-file')
    expect(text?.status).toBe('uploading')
    expect(checkImage.mock.calls.map(([image]) => image.name)).toEqual(['wide.png'])
    expect(calls).toHaveLength(1)
  })
})

describe('createUploader: callbacks and options', () => {
  it('merges overrideParameters with ??, so false overrides true and undefined keeps the default', async () => {
    const { uploader, calls } = setup({
      useUniqueFileName: true,
      folder: '/default',
      tags: ['a'],
      overrideParameters: (candidate) => ({
        useUniqueFileName: false,
        folder: undefined,
        fileName: `renamed-${candidate.name}`,
      }),
    })
    uploader.add([file('x.txt')])
    await flush()
    expect(calls[0]?.fields).toMatchObject({
      useUniqueFileName: 'false',
      folder: '/default',
      tags: 'a',
      fileName: 'renamed-x.txt',
    })
  })

  it('calls onUploadStart, onUploadProgress and onSuccess with the file and the item', async () => {
    const onUploadStart = vi.fn()
    const onSuccess = vi.fn()
    const { uploader, calls } = setup({ onUploadStart, onSuccess })
    const [item] = uploader.add([file('x.txt')])
    await flush()
    expect(onUploadStart).toHaveBeenCalledWith(item?.file, expect.objectContaining({ id: item?.id }))
    success(calls[0] as Call)
    await flush()
    expect(onSuccess).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'x.txt' }),
      expect.objectContaining({ id: item?.id, status: 'success' }),
    )
  })

  it('reads callbacks when it calls them, so setOptions swaps them without a new uploader', async () => {
    const first = vi.fn()
    const second = vi.fn()
    const { uploader, calls, base } = setup({ onSuccess: first })
    uploader.add([file()])
    await flush()
    uploader.setOptions({ ...base, onSuccess: second })
    success(calls[0] as Call)
    await flush()
    expect(first).not.toHaveBeenCalled()
    expect(second).toHaveBeenCalledTimes(1)
  })

  it('a callback that throws cannot break the queue', async () => {
    const report = vi.spyOn(console, 'error').mockImplementation(() => {})
    const boom = () => {
      throw new Error('user bug')
    }
    const { uploader, calls } = setup({
      concurrency: 1,
      maxFileSize: 10,
      onUploadStart: boom,
      onUploadProgress: boom,
      onSuccess: boom,
      onError: boom,
    })
    uploader.add([file('1', 1), file('2', 11)])
    await flush()
    calls[0]?.onProgress?.({ loaded: 1, total: 2 })
    success(calls[0] as Call)
    await flush()
    expect(statuses(uploader.getSnapshot().items)).toEqual(['success', 'error'])
    expect(report).toHaveBeenCalled()
    expect(report.mock.calls.every(([error]) => (error as Error).message === 'user bug')).toBe(true)
  })

  it('a throwing validateFile or overrideParameters fails that file only', async () => {
    const { uploader, calls } = setup({
      validateFile: (candidate) => {
        if (candidate.name === 'bad') throw new Error('validator crashed')
        return true
      },
      overrideParameters: (candidate) => {
        if (candidate.name === 'worse') throw new Error('override crashed')
        return {}
      },
    })
    uploader.add([file('bad'), file('worse'), file('good')])
    await flush()
    const [bad, worse, good] = uploader.getSnapshot().items
    expect(bad?.error).toMatchObject({ code: 'validation', message: 'validator crashed' })
    expect(worse?.error).toMatchObject({ code: 'validation', message: 'override crashed' })
    expect(good?.status).toBe('uploading')
    expect(calls).toHaveLength(1)
  })

  it('fails with a validation error, not a crash, when publicKey is missing', async () => {
    const { uploader } = setup({ publicKey: '' })
    uploader.add([file()])
    await flush()
    expect(uploader.getSnapshot().items[0]?.error).toBeInstanceOf(UploadError)
    expect(uploader.getSnapshot().items[0]?.error?.message).toBe(
      'Your request is missing publicKey parameter.',
    )
  })
})
