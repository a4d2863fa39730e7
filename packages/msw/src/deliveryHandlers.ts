/**
 * msw handlers that deliver files you give them, the way `IKImage`/`IKVideo` ask for them:
 * `GET <urlEndpoint>/[tr:<steps>/]<filePath>[?tr=<steps>]`. For stories and tests that show files
 * without uploading them first (fixtures), or that show uploads (`files: mock.files`).
 *
 * Transformations are read but not applied: the stored bytes come back as they are, with the
 * transformation that was asked for in an `x-ik-transformation` header (so a test can check what
 * the component asked for). msw runs in Node and in a service worker, where no image codec is at
 * hand; to check real resizes, use `@ik-upload/local-server`.
 */
import { delay, HttpResponse, http, type RequestHandler } from 'msw'
import { DEV_URL_ENDPOINT } from './uploadHandlers'

/** A file to deliver: its bytes and content type (`uploadHandlers`' `StoredFile` is one). */
export interface DeliveryFile {
  bytes: Uint8Array
  mime: string
}

/** Options of `deliveryHandlers`. */
export interface DeliveryHandlersOptions {
  /** Where files are delivered. @default DEV_URL_ENDPOINT */
  urlEndpoint?: string
  /**
   * The files, by `filePath` (`/samples/cat.jpg`), looked up on every request, so a `Map` changed
   * later (such as `uploadHandlers(...).files`) is served as it is then.
   */
  files: ReadonlyMap<string, DeliveryFile> | Readonly<Record<string, DeliveryFile>>
  /** Milliseconds before every answer (msw's `delay`, so fake timers control it). @default 0 */
  latency?: number
}

const HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'x-ik-transformation',
  // As the local server: keep a copy, but ask again, since a file can be replaced under its URL.
  'Cache-Control': 'no-cache',
}

/**
 * `GET` handlers for `urlEndpoint/*` that answer with the bytes of a file in `files`. A path that is
 * not there is passed on (msw tries the next handler, e.g. `uploadHandlers`' own delivery, then
 * its unhandled-request rule), so these can sit in front of other handlers.
 *
 * @example
 * const files = new Map([['/samples/cat.png', { bytes: catPng, mime: 'image/png' }]])
 * const server = setupServer(...deliveryHandlers({ files }), ...mock.handlers)
 * // <IKImage src="/samples/cat.png" /> under <IKContext urlEndpoint={DEV_URL_ENDPOINT}> now loads
 */
export function deliveryHandlers(options: DeliveryHandlersOptions): RequestHandler[] {
  const { files, latency = 0 } = options
  const urlEndpoint = (options.urlEndpoint ?? DEV_URL_ENDPOINT).replace(/\/+$/, '')
  const endpointPath = new URL(urlEndpoint).pathname.replace(/\/$/, '')
  const lookup = (path: string) =>
    files instanceof Map
      ? files.get(path)
      : Object.hasOwn(files, path)
        ? (files as Record<string, DeliveryFile>)[path]
        : undefined

  return [
    http.get(`${urlEndpoint}/*`, async ({ request }) => {
      const url = new URL(request.url)
      const segments = url.pathname.slice(endpointPath.length + 1).split('/')
      const pathSteps = segments[0]?.startsWith('tr:') ? segments.shift()?.slice(3) : undefined
      let file: DeliveryFile | undefined
      let steps: string
      try {
        file = lookup(`/${segments.filter(Boolean).map(decodeURIComponent).join('/')}`)
        steps = [pathSteps && decodeURIComponent(pathSteps), url.searchParams.get('tr')]
          .filter(Boolean)
          .join(':')
      } catch {
        return // A malformed escape is no file of ours.
      }
      if (!file) return
      if (latency > 0) await delay(latency)
      return new HttpResponse(file.bytes.slice().buffer as ArrayBuffer, {
        headers: { ...HEADERS, 'Content-Type': file.mime, ...(steps && { 'x-ik-transformation': steps }) },
      })
    }),
  ]
}
