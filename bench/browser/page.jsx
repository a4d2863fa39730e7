// The benchmark page: every row as a function of `window.bench`, called by run.mjs through
// page.evaluate. Each resolves with its wall time in ms, from the call that starts the uploads to the
// moment every file is uploaded (for useUpload: to the commit that renders every item as done).
// Bundled by run.mjs with esbuild, from the packed tarballs (default) or the workspace's sources.
import * as core from '@ik-upload/core'
import { IKContext, useUpload } from '@ik-upload/react'
import { useLayoutEffect } from 'react'
import { createRoot } from 'react-dom/client'

const CONCURRENCY = 3

/** @type {File[]} */
let files = []

/** Builds `count` files of `size` bytes of random data (not compressible, not images). */
function makeFiles(count, size) {
  const chunk = new Uint8Array(Math.min(size, 65_536))
  files = Array.from({ length: count }, (_, i) => {
    const parts = []
    for (let left = size; left > 0; left -= chunk.length)
      parts.push(crypto.getRandomValues(chunk).slice(0, Math.min(left, chunk.length)))
    return new File(parts, `bench-${i}.bin`, { type: 'application/octet-stream' })
  })
  return files.reduce((sum, file) => sum + file.size, 0)
}

/** GET the auth endpoint as the kit does (`cache: 'no-store'`): `{ token, expire, signature }`. */
async function fetchAuth(url) {
  const response = await fetch(url, { cache: 'no-store' })
  if (!response.ok) throw new Error(`auth answered ${response.status}`)
  return response.json()
}

/**
 * One upload by hand: a FormData of the v1 fields and the file, sent with XHR. An upload progress
 * listener is registered, as any app showing progress does (and as the kit's XHR transport does):
 * it makes a cross-origin request preflighted, so every row pays the same CORS rules.
 */
function xhrUpload(cfg, file, auth) {
  return new Promise((resolve, reject) => {
    const body = new FormData()
    body.append('fileName', file.name)
    body.append('publicKey', cfg.publicKey)
    body.append('token', auth.token)
    body.append('signature', auth.signature)
    body.append('expire', String(auth.expire))
    body.append('file', file, file.name)
    const xhr = new XMLHttpRequest()
    xhr.open('POST', cfg.uploadEndpoint)
    xhr.upload.onprogress = () => {}
    xhr.onload = () =>
      xhr.status === 200
        ? resolve(JSON.parse(xhr.responseText))
        : reject(new Error(`upload answered ${xhr.status}: ${xhr.responseText.slice(0, 200)}`))
    xhr.onerror = () => reject(new Error('upload: network error'))
    xhr.send(body)
  })
}

/** Runs `worker` CONCURRENCY times at once over a shared cursor; resolves with the wall time. */
async function pool(worker) {
  const start = performance.now()
  const state = { next: 0 }
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(state)))
  return performance.now() - start
}

/** raw XHR: each of 3 workers fetches a token, then uploads, then takes the next file. */
function rawXhr(cfg) {
  return pool(async (state) => {
    while (state.next < files.length) {
      const file = files[state.next++]
      await xhrUpload(cfg, file, await fetchAuth(cfg.authEndpoint))
    }
  })
}

/**
 * raw XHR with prefetch: while a worker uploads a file, the token for its next file is already on
 * its way, so a slot never waits for auth after its first file (the ideal's practical bound). A
 * worker whose next file was taken by another leaves its token unused: at most 3 spare tokens a run.
 */
function rawXhrPrefetch(cfg) {
  return pool(async (state) => {
    let token = state.next < files.length ? fetchAuth(cfg.authEndpoint) : undefined
    while (state.next < files.length) {
      const file = files[state.next++]
      const auth = await token
      token = state.next < files.length ? fetchAuth(cfg.authEndpoint) : undefined
      await xhrUpload(cfg, file, auth)
    }
    // A spare token's request must finish inside the run, or it would land in the next row's time.
    await token?.catch(() => {})
  })
}

/** Resolves when `count` items ended, rejects with the first error. */
function settle(count) {
  let done = 0
  let resolve
  let reject
  const finished = new Promise((yes, no) => {
    resolve = yes
    reject = no
  })
  return {
    finished,
    onSuccess: () => {
      if (++done === count) resolve(performance.now())
    },
    onError: (error) => reject(new Error(`${error.code}: ${error.message}`)),
  }
}

/** The core uploader alone (no UI), concurrency 3, done when its last onSuccess fires. */
async function coreUploader(cfg, extra = {}) {
  const { finished, onSuccess, onError } = settle(files.length)
  const uploader = core.createUploader({
    publicKey: cfg.publicKey,
    authenticationEndpoint: cfg.authEndpoint,
    uploadEndpoint: cfg.uploadEndpoint,
    concurrency: CONCURRENCY,
    retries: 0,
    onSuccess,
    onError,
    ...extra,
  })
  const start = performance.now()
  uploader.add(files)
  const end = await finished
  uploader.clear()
  return end - start
}

/** The core uploader holding no token ahead (`prefetch: 0`): how it ran before prefetch. */
function coreUploaderNoPrefetch(cfg) {
  return coreUploader(cfg, { prefetch: 0 })
}

/** The core uploader signing with v2 (`signer: signV2`), when the core exports it. */
function coreUploaderV2(cfg) {
  if (!core.signV2) throw new Error('@ik-upload/core exports no signV2')
  return coreUploader(cfg, {
    signer: core.signV2,
    publicKey: undefined,
    authenticationEndpoint: cfg.authEndpointV2,
    uploadEndpoint: cfg.uploadEndpointV2,
  })
}

/** One item of the list: its name, its progress bar and its status, re-rendered on every update. */
function Item({ item }) {
  return (
    <li>
      <span>{item.file.name}</span> <progress max={item.total} value={item.loaded} />{' '}
      <span>{item.status}</span>
    </li>
  )
}

/** What an app writes with useUpload (under its IKContext): the total and every item's own bar. */
function UploadList({ count, onReady, onDone }) {
  const { items, progress, isUploading, upload } = useUpload({ concurrency: CONCURRENCY, retries: 0 })
  const done = items.length === count && !isUploading
  useLayoutEffect(() => onReady(upload), [upload, onReady])
  // A layout effect runs right after the commit that put the finished list in the DOM.
  useLayoutEffect(() => {
    if (done) onDone(performance.now(), items)
  }, [done, items, onDone])
  return (
    <section>
      <p>
        {progress}% {isUploading ? 'uploading' : 'idle'}
      </p>
      <ul>
        {items.map((item) => (
          <Item key={item.id} item={item} />
        ))}
      </ul>
    </section>
  )
}

let mounted

/** Mounts a fresh UploadList (outside the timed part); resolves once its `upload` is known. */
function mountList(cfg) {
  const container = document.getElementById('root')
  const root = createRoot(container)
  let upload
  let resolveDone
  let rejectDone
  const done = new Promise((resolve, reject) => {
    resolveDone = resolve
    rejectDone = reject
  })
  const ready = new Promise((resolve) => {
    const onReady = (fn) => {
      upload = fn
      resolve()
    }
    const onDone = (end, items) => {
      const failed = items.find((item) => item.status !== 'success')
      if (failed) rejectDone(new Error(`${failed.error?.code}: ${failed.error?.message}`))
      else resolveDone(end)
    }
    root.render(
      <IKContext
        publicKey={cfg.publicKey}
        authenticationEndpoint={cfg.authEndpoint}
        uploadEndpoint={cfg.uploadEndpoint}
      >
        <UploadList count={files.length} onReady={onReady} onDone={onDone} />
      </IKContext>,
    )
  })
  mounted = { root, done, start: () => upload(files) }
  return ready
}

/** useUpload rendering the list: from `upload(files)` to the commit that shows every item done. */
async function useUploadList() {
  if (!mounted) throw new Error('mountList first')
  const start = performance.now()
  mounted.start()
  const end = await mounted.done
  return end - start
}

function unmountList() {
  mounted?.root.unmount()
  mounted = undefined
}

/** One upload round trip with a token in hand (the ideal's unit): median of `samples` uploads. */
async function roundTrip(cfg, samples = 5) {
  const times = []
  for (let i = 0; i < samples; i++) {
    const auth = await fetchAuth(cfg.authEndpoint)
    const start = performance.now()
    await xhrUpload(cfg, files[i % files.length], auth)
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

/**
 * A row between two user-timing marks, which land in Chromium's trace: run.mjs counts the main
 * thread's tasks between them only, not the tracing's own work before and after.
 */
const marked =
  (row) =>
  async (...args) => {
    performance.mark('bench:start')
    try {
      return await row(...args)
    } finally {
      performance.mark('bench:end')
    }
  }

window.bench = {
  makeFiles,
  roundTrip,
  mountList,
  unmountList,
  hasV2: () => typeof core.signV2 === 'function',
  rows: Object.fromEntries(
    Object.entries({
      rawXhr,
      rawXhrPrefetch,
      coreUploader,
      coreUploaderNoPrefetch,
      coreUploaderV2,
      useUploadList,
    }).map(([id, row]) => [id, marked(row)]),
  ),
}
