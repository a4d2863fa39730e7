/** One upload request, as the transport sees it. */
export interface TransportRequest {
  url: string
  body: FormData
  signal: AbortSignal
  /** Called as bytes leave; `total` is the whole body's size. */
  onProgress?: (progress: { loaded: number; total: number }) => void
}

/** What came back: the status, the body as text, and a header getter. */
export interface TransportResponse {
  status: number
  text: string
  header(name: string): string | null
}

/**
 * Sends a multipart body and resolves with the response, whatever its status. Rejects with the
 * signal's reason on abort, and with any other error on a network failure. This is the seam tests
 * use to fake progress.
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>

/** XHR transport: the only browser API with real upload progress events. */
export const xhrTransport: Transport = ({ url, body, signal, onProgress }) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    // A ProgressEvent has the `loaded` and `total` that onProgress reads.
    if (onProgress) xhr.upload.onprogress = onProgress
    xhr.onload = () =>
      resolve({ status: xhr.status, text: xhr.responseText, header: (name) => xhr.getResponseHeader(name) })
    xhr.onerror = reject
    // Reject at once rather than wait for the `abort` event: abort() before send() fires none,
    // and some XHR stand-ins (test interceptors) never fire it.
    const stop = () => {
      xhr.abort()
      reject(signal.reason)
    }
    // upload() hands every request a signal of its own, so this listener dies with the request.
    if (signal.aborted) stop()
    else {
      signal.addEventListener('abort', stop)
      xhr.send(body)
    }
  })

/** fetch transport, for runtimes without XHR (Node, workers): no progress but the final one. */
export const fetchTransport: Transport = async ({ url, body, signal, onProgress }) => {
  const response = await fetch(url, { method: 'POST', body, signal })
  const text = await response.text()
  // fetch cannot report upload progress; report completion so progress UIs still reach 100%.
  onProgress?.({ loaded: 1, total: 1 })
  return { status: response.status, text, header: (name) => response.headers.get(name) }
}
