import { FILE_URL_NOT_DOWNLOADED, HELP } from '@ik-upload/core/protocol'
import { getResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { uploadHandlers } from '../uploadHandlers'

// Under msw's browser worker the handlers run in the page, and a `file` URL is downloaded by the
// page's own fetch. A browser hides a manual redirect's target (an opaque response, status 0), so
// the handlers cannot count hops there: they let the browser follow redirects itself, up to its
// own limit. In Node (the tests, setupServer) they follow at most MAX_FILE_URL_REDIRECTS, like the
// local server (parity.test.ts and agreement.test.ts in local-server pin that). This pins the
// browser branch in Node, with a fetch that answers as a browser does.

const UPLOAD = 'https://upload.browser.test/api/v1/files/upload'
const FILE_URL = 'https://files.browser.test/start'

afterEach(() => {
  vi.unstubAllGlobals()
})

/** A fetch that answers `redirect: 'manual'` as a browser does (opaque) and follows otherwise. */
function browserFetch(followed: () => Response) {
  const calls: RequestRedirect[] = []
  const fetch = vi.fn(async (_url: URL | string, init?: RequestInit) => {
    calls.push(init?.redirect ?? 'follow')
    if (init?.redirect === 'manual')
      return { type: 'opaqueredirect', status: 0, ok: false, headers: new Headers(), body: null }
    return followed()
  })
  return { fetch, calls }
}

async function uploadFileUrl(mock: ReturnType<typeof uploadHandlers>) {
  const auth = await mock.authParams()
  const form = new FormData()
  for (const [name, value] of Object.entries({
    publicKey: 'public_dev_ikupload_do_not_use',
    signature: auth.signature,
    token: auth.token,
    expire: String(auth.expire),
    fileName: 'from-url.txt',
    file: FILE_URL,
  }))
    form.append(name, value)
  const response = await getResponse(mock.handlers, new Request(UPLOAD, { method: 'POST', body: form }))
  return { status: response?.status, body: await response?.json() }
}

describe('a file URL under the browser worker, where redirects are opaque', () => {
  it('lets the browser follow the redirects and stores what they lead to', async () => {
    const mock = uploadHandlers({ uploadEndpoint: UPLOAD })
    const { fetch, calls } = browserFetch(
      () => new Response('followed', { headers: { 'content-type': 'text/plain' } }),
    )
    vi.stubGlobal('fetch', fetch)
    const reply = await uploadFileUrl(mock)
    expect(reply).toMatchObject({ status: 200, body: { size: 8 } })
    expect(calls).toEqual(['manual', 'follow'])
  })

  it("refuses the file when the browser's own following fails (its redirect limit, a network error)", async () => {
    const mock = uploadHandlers({ uploadEndpoint: UPLOAD })
    const { fetch } = browserFetch(() => {
      throw new TypeError('Failed to fetch')
    })
    vi.stubGlobal('fetch', fetch)
    expect(await uploadFileUrl(mock)).toEqual({
      status: 400,
      body: { message: FILE_URL_NOT_DOWNLOADED, help: HELP },
    })
  })
})
