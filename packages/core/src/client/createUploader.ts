/**
 * The uploader: a queue of files over `upload()`, kept in a tiny external store (subscribe /
 * getSnapshot, immutable snapshots, a pure item patch) so that any UI (React through
 * `useSyncExternalStore`, or none) reads one consistent state. No React import here.
 */
import type { UploadFieldOptions } from '../protocol/fields'
import { FILE_TOO_LARGE } from '../protocol/messages'
import { DEFAULT_MAX_FILE_SIZE } from '../protocol/rules'
import { fetchAuthParams } from './fetchAuthParams'
import { abortError } from './signals'
import { isRetryable, UploadError } from './UploadError'
import { type UploadOptions, type UploadProgress, type UploadResponse, uploadDescribed } from './upload'

/** Where an item is: waiting, one of the three working steps, or one of the three ends. */
export type UploadStatus =
  | 'queued'
  | 'validating'
  | 'authenticating'
  | 'uploading'
  | 'success'
  | 'error'
  | 'aborted'

/** Why a file was refused before any byte was sent. */
export type RejectionCode =
  | 'file-too-large'
  | 'file-invalid-type'
  | 'too-many-files'
  | 'image-too-small'
  | 'image-too-large'
  | 'invalid-file'

/** A refusal by the uploader's restrictions: data to show, never an exception. */
export interface FileRejection {
  code: RejectionCode
  message: string
}

interface UploadItemBase {
  /** Unique across every uploader of the page, so it is a stable React key. */
  id: string
  file: File
  /** Bytes of the file sent so far. */
  loaded: number
  /** The file's size in bytes. */
  total: number
  /** The attempt under way or last made: 0 before the first, 1 + the retries made after. */
  attempt: number
  /** An object URL of the file for images (revoked when the item is removed or cleared). */
  previewUrl?: string
}

/** One file of the queue; `status` tells which of `result` and `error` it holds. */
export type UploadItem = UploadItemBase &
  (
    | {
        status: 'queued' | 'validating' | 'authenticating' | 'uploading'
        result?: undefined
        error?: undefined
        rejection?: undefined
        /**
         * Set while the item waits to retry after a failed attempt (then `status` is `queued` and
         * `attempt` the attempt that failed): when the next attempt starts, in epoch milliseconds.
         * A UI shows "retrying in N s" with `Math.ceil((retryAt - Date.now()) / 1000)`.
         */
        retryAt?: number
      }
    | {
        status: 'success'
        result: UploadResponse
        error?: undefined
        rejection?: undefined
        retryAt?: undefined
      }
    | {
        status: 'error' | 'aborted'
        result?: undefined
        error: UploadError
        /** Set when the uploader's restrictions refused the file (then `error.code` is `validation`). */
        rejection?: FileRejection
        retryAt?: undefined
      }
  )

/** A snapshot of the uploader; a new object whenever anything changed, the same one otherwise. */
export interface UploaderState {
  items: readonly UploadItem[]
  /** Bytes sent, over the items that did not fail or get aborted. */
  loaded: number
  /** Bytes to send in all, over the same items. */
  total: number
  /** `loaded / total` as a whole percentage, 0 to 100. */
  progress: number
  /** Some item is queued or being validated, authenticated or uploaded. */
  isUploading: boolean
  /** The responses of the items that succeeded, in queue order. */
  results: readonly UploadResponse[]
  /** The errors of the items that failed (aborted ones excluded), in queue order. */
  errors: readonly UploadError[]
}

/** What `validateFile` answers: `false` or a message refuses the file; anything else accepts it. */
export type FileVerdict = boolean | string | undefined

/** Options of `createUploader`: where and how to upload, the upload fields, the queue and the callbacks. */
export interface UploaderOptions extends UploadOptions {
  /** Uploads running at once. @default 3 */
  concurrency?: number
  /** Automatic retries after a network error, a timeout, a 5xx or a 429 (never after another 4xx). @default 2 */
  retries?: number
  /** Base of the exponential backoff in ms (doubled each attempt, with jitter); `Retry-After` wins when sent. @default 1000 */
  retryDelay?: number
  /**
   * The longest wait before a retry, in ms. The backoff stops growing there; a `Retry-After`
   * (seconds or an HTTP date) asking for longer fails the item at once, with `retryAfter` on its
   * error, instead of parking it in the queue. @default 60000
   */
  maxRetryDelay?: number
  /** Milliseconds for each upload request, auth excluded. @default none */
  timeout?: number
  /**
   * Milliseconds an upload request may go without progress and without an answer before that
   * attempt is aborted as a `timeout` (and retried): a server that takes the body and never answers
   * frees its slot. `fetch` (no XHR) reports no progress until the end, so there it bounds the whole
   * request. `0` or `Infinity` turns it off. @default 30000
   */
  stallTimeout?: number
  /** Accepted types, as for `<input accept>`: MIME types (`image/png`), wildcards (`image/*`) and extensions (`.pdf`). @default any */
  accept?: string | readonly string[]
  /** Most items that may be queued, uploading or uploaded at once; failed and aborted ones do not count. @default no limit */
  maxFiles?: number
  /** Smallest image width in pixels (read with `createImageBitmap`). @default none */
  minWidth?: number
  /** Smallest image height in pixels. @default none */
  minHeight?: number
  /** Largest image width in pixels. @default none */
  maxWidth?: number
  /** Largest image height in pixels. @default none */
  maxHeight?: number
  /** Called when a file passed validation, before its auth request. @default none */
  onUploadStart?: (file: File, item: UploadItem) => void
  /** Called for every progress event of the request body (not coalesced). @default none */
  onUploadProgress?: (progress: UploadProgress, item: UploadItem) => void
  /** Called with the server's response when a file is uploaded. @default none */
  onSuccess?: (result: UploadResponse, item: UploadItem) => void
  /** Called when a file fails for good (after its retries) or is refused by a restriction; not on abort. @default none */
  onError?: (error: UploadError, item: UploadItem) => void
  /** Your own check: return `false` or a message to refuse the file. May be async. @default none */
  validateFile?: (file: File) => FileVerdict | Promise<FileVerdict>
  /**
   * Checks each file's upload fields before its auth request; a problem fails the file with code
   * `validation` and the problem's message, so no token is spent. Pass `checkUploadOptions` from
   * `@ik-upload/core/protocol` to refuse bad `tags`, `folder`, `customCoordinates` and
   * `responseFields` with the server's own message. Opt-in, so the rules cost no bytes where unused.
   * @default none: the upload server judges the fields (same messages, code `server`)
   */
  checkOptions?: (fields: UploadFieldOptions) => { field: string; message: string } | undefined
  /** Per-file upload fields; each one that is not `null`/`undefined` wins, so `false` overrides `true`. @default none */
  overrideParameters?: (
    file: File,
  ) => UploadFieldOptions | undefined | Promise<UploadFieldOptions | undefined>
}

/** The store and its actions. Every method is bound, so it can be passed around alone. */
export interface Uploader {
  /** Registers a listener for state changes; returns its unsubscribe. */
  subscribe(listener: () => void): () => void
  /** The current state (the same object until something changes). */
  getSnapshot(): UploaderState
  /** Queues files (restrictions refuse some at once) and returns their new items. */
  add(files: Iterable<File> | ArrayLike<File>): UploadItem[]
  /** Aborts one item, or every unfinished one when no id is given. */
  abort(id?: string): void
  /** Queues a failed or aborted item again, from its first attempt. */
  retry(id: string): void
  /** Aborts an item if it is unfinished and drops it from the list. */
  remove(id: string): void
  /** Aborts everything and empties the list. */
  clear(): void
  /** Replaces the options; running uploads keep their fields, callbacks are read when called. */
  setOptions(options: UploaderOptions): void
}

/** The option names of `createUploader` that are not upload fields; UIs use it to split props. */
export const UPLOADER_OPTION_NAMES = [
  'publicKey',
  'urlEndpoint',
  'uploadEndpoint',
  'authenticationEndpoint',
  'authenticator',
  'authenticationRequest',
  'authTimeout',
  'transport',
  'signer',
  'maxFileSize',
  'concurrency',
  'retries',
  'retryDelay',
  'maxRetryDelay',
  'timeout',
  'stallTimeout',
  'accept',
  'maxFiles',
  'minWidth',
  'minHeight',
  'maxWidth',
  'maxHeight',
  'onUploadStart',
  'onUploadProgress',
  'onSuccess',
  'onError',
  'validateFile',
  'checkOptions',
  'overrideParameters',
] as const satisfies readonly (keyof UploaderOptions | 'urlEndpoint')[]

// Fails to compile when an option is added without its name above (then a UI would pass it to the DOM).
type MissingName = Exclude<
  keyof UploaderOptions,
  (typeof UPLOADER_OPTION_NAMES)[number] | keyof UploadFieldOptions
>
const allNamed: MissingName extends never ? true : MissingName = true
void allNamed

/**
 * `base` with every value of `over` that is not `null`/`undefined`: the `??` merge, so that an
 * override of `false` beats a default of `true` and an unset prop keeps the default.
 */
export function mergeOptions<T extends object>(base: T, over?: object | null): T {
  const merged = { ...base } as Record<string, unknown>
  for (const key in over) merged[key] = (over as Record<string, unknown>)[key] ?? merged[key]
  return merged as T
}

/** The changes an item goes through; a patch with a `status` starts that status afresh. */
type ItemPatch =
  | { status: 'queued' | 'validating' | 'authenticating'; attempt: number; loaded: 0; retryAt?: number }
  | { status: 'uploading' }
  | { status: 'success'; loaded: number; result: UploadResponse }
  | { status: 'error' | 'aborted'; error: UploadError; rejection?: FileRejection }
  /** Progress: applies only while the item is uploading. */
  | { loaded: number }

/**
 * The item after a patch (pure). A patch with a `status` starts that status afresh, dropping the old
 * result, error, rejection and retry time; a progress patch applies only while the item is
 * uploading, so no late event can move a finished bar. (Stale runs never patch, see `live()` in `run`.)
 */
function patchItem(item: UploadItem, patch: ItemPatch): UploadItem {
  const { result, error, rejection, retryAt, ...base } = item
  return 'status' in patch
    ? ({ ...base, ...patch } as UploadItem)
    : item.status === 'uploading'
      ? { ...item, ...patch }
      : item
}

const isDone = (item: UploadItem): boolean => !!(item.result || item.error)
const isCounted = (item: UploadItem): boolean => !item.error
const isImage = (file: File): boolean => /^image\//.test(file.type)

function derive(items: readonly UploadItem[]): UploaderState {
  let loaded = 0
  let total = 0
  for (const item of items)
    if (isCounted(item)) {
      loaded += item.loaded
      total += item.total
    }
  return {
    items,
    loaded,
    total,
    // 0 / 0 is NaN: no bytes to send is 0%.
    progress: Math.floor((loaded * 100) / total) || 0,
    isUploading: !items.every(isDone),
    // flatMap keeps an object and drops an empty array: the results and errors in queue order.
    results: items.flatMap((item) => item.result ?? []),
    errors: items.flatMap((item) => (item.status === 'error' ? item.error : [])),
  }
}

/** `<input accept>` matching: MIME types, `type/*` wildcards and `.ext` extensions, case-insensitive. */
function accepts({ name, type }: File, accept: string | readonly string[]): boolean {
  return String(accept)
    .toLowerCase()
    .split(',')
    .some((rule) => {
      rule = rule.trim()
      // An empty rule (a trailing comma) accepts nothing; `*` and `*/*` accept anything.
      return rule[0] === '.'
        ? name.toLowerCase().endsWith(rule)
        : rule.endsWith('*')
          ? type.startsWith(rule.slice(0, -1).replace('*/', ''))
          : !!rule && type === rule
    })
}

/** Calls a user callback; one that throws is reported and cannot stop the queue. */
function call<A extends unknown[]>(callback: ((...args: A) => unknown) | undefined, ...args: A): void {
  try {
    callback?.(...args)
  } catch (error) {
    console.error(error)
  }
}

type Failure = Extract<ItemPatch, { error: UploadError }>

const failure = (error: UploadError): Failure => ({
  status: error.code === 'aborted' ? 'aborted' : 'error',
  error,
})

const refusal = (rejection: FileRejection): Failure => ({
  status: 'error',
  error: new UploadError('validation', rejection.message, { field: 'file' }),
  rejection,
})

let lastId = 0

/**
 * Creates an uploader: `add(files)` queues them, at most `concurrency` upload at once, network
 * errors, timeouts, 5xx and 429 are retried with backoff (each attempt with fresh auth, since
 * `upload()` fetches it per call), and the state is read with `getSnapshot()` / `subscribe()`.
 * Creating one has no side effect, so it is safe during server rendering.
 */
export function createUploader(initialOptions: UploaderOptions): Uploader {
  let options = initialOptions
  let state = derive([])
  let timer: ReturnType<typeof setTimeout> | undefined
  const listeners = new Set<() => void>()
  // One controller per running item; a run whose controller was replaced or dropped is stale.
  const controllers = new Map<string, AbortController>()

  const notify = () => {
    clearTimeout(timer)
    timer = undefined
    for (const listener of listeners) listener()
  }

  // The state is always current; only notifications are coalesced (at most one per 50 ms, about
  // three animation frames), so 100 files x 100 progress events cost a few hundred renders, not 10,000.
  const commit = (items: readonly UploadItem[]) => {
    state = derive(items)
    timer ??= setTimeout(notify, 50)
  }

  const update = (id: string, patch: ItemPatch) =>
    commit(state.items.map((item) => (item.id === id ? patchItem(item, patch) : item)))
  const find = (id: string) => state.items.find((item) => item.id === id) as UploadItem

  /** The restrictions that need no reading of the file, checked at once when files are added. */
  const reject = (file: File, counted: number): FileRejection | undefined => {
    const { accept, maxFiles = Infinity, maxFileSize = DEFAULT_MAX_FILE_SIZE } = options
    // The spec's own words, as the server would answer: apps match on them.
    if (file.size > maxFileSize) return { code: 'file-too-large', message: FILE_TOO_LARGE }
    if (accept && !accepts(file, accept))
      return { code: 'file-invalid-type', message: `File type is not ${accept}.` }
    if (counted >= maxFiles) return { code: 'too-many-files', message: `More than ${maxFiles} files.` }
  }

  /** The checks that read the file: `validateFile`, then the image dimensions. */
  const validate = async (file: File): Promise<FileRejection | undefined> => {
    const { validateFile, minWidth = 0, minHeight = 0, maxWidth = Infinity, maxHeight = Infinity } = options
    const verdict = await validateFile?.(file)
    if (verdict === false || typeof verdict === 'string')
      return { code: 'invalid-file', message: verdict || 'File refused.' }
    // Any limit set makes this sum non-zero (1 / Infinity is 0): only then is the image decoded.
    if (isImage(file) && minWidth + minHeight + 1 / maxWidth + 1 / maxHeight) {
      // An image the browser cannot decode counts as 0 x 0 px: too small for any minimum. The
      // bitmap is closed at once, since it holds the whole decoded image.
      const [width, height] = await createImageBitmap(file).then(
        (bitmap) => [bitmap.width, bitmap.height, bitmap.close()] as const,
        () => [0, 0],
      )
      const size = width < minWidth || height < minHeight ? 'small' : 'large'
      if (size === 'small' || width > maxWidth || height > maxHeight)
        return { code: `image-too-${size}`, message: `Image of ${width}×${height} px is too ${size}.` }
    }
  }

  const fail = (id: string, patch: Failure) => {
    update(id, patch)
    if (patch.status === 'error') call(options.onError, patch.error, find(id))
  }

  const run = async ({ id, file }: UploadItem) => {
    const controller = new AbortController()
    const { signal } = controller
    controllers.set(id, controller)
    // abort(), remove() and retry() drop or replace the controller: this run then stops writing.
    const live = () => controllers.get(id) === controller
    const set = (patch: ItemPatch) => {
      const ok = live()
      if (ok) update(id, patch)
      return ok
    }
    let attempt = 0
    try {
      set({ status: 'validating', attempt, loaded: 0 })
      const rejection = await validate(file)
      if (rejection) {
        if (live()) fail(id, refusal(rejection))
        return
      }
      const fields = mergeOptions(options, await options.overrideParameters?.(file))
      // The app's own option check (e.g. checkUploadOptions), before any request: a bad option then
      // costs no token. Without one the server judges the fields and answers the same message; the
      // rules are opt-in so that IKUpload's bundle does not carry them (issue 8's budgets).
      const problem = options.checkOptions?.(fields)
      if (problem) throw new UploadError('validation', problem.message, problem)
      if (!live()) return
      call(options.onUploadStart, file, find(id))
      for (;;) {
        set({ status: 'authenticating', attempt: ++attempt, loaded: 0 })
        try {
          const result = await uploadDescribed(
            file,
            file,
            {
              ...fields,
              // Wraps the auth source to learn when auth is done and the bytes start to leave.
              authenticator: (context) =>
                fetchAuthParams(options, context.signal).then((auth) => {
                  set({ status: 'uploading' })
                  return auth
                }),
            },
            {
              signal,
              timeout: options.timeout,
              stallTimeout: options.stallTimeout ?? 30_000,
              onProgress(progress) {
                const { loaded, total } = progress
                // Body bytes include the form fields: scale to file bytes, so totals add up.
                if (set({ loaded: total && Math.round((file.size * loaded) / total) }))
                  call(options.onUploadProgress, progress, find(id))
              },
            },
          )
          if (set({ status: 'success', loaded: file.size, result })) call(options.onSuccess, result, find(id))
          return
        } catch (error) {
          if (signal.aborted || attempt > (options.retries ?? 2) || !isRetryable(error)) throw error
          const { retryAfter } = error as UploadError
          const { retryDelay = 1000, maxRetryDelay = 60_000 } = options
          // Never past what setTimeout can hold (2^31 - 1 ms, about 24.8 days): beyond it, a timer
          // fires at once.
          const cap = Math.min(maxRetryDelay, 2e9)
          // Equal jitter: half the doubled delay fixed, half random, so failed clients do not
          // return in step.
          const wait = retryAfter
            ? retryAfter * 1000
            : Math.min((retryDelay * 2 ** (attempt - 1) * (1 + Math.random())) / 2, cap)
          // A server that asks for longer than the cap gets a failed item (with its retryAfter), not a
          // slot held for a day.
          if (wait > cap) throw error
          set({ status: 'queued', attempt, loaded: 0, retryAt: Date.now() + wait })
          // Waits, or rejects at once when the run is aborted.
          await new Promise((resolve, reject) => {
            const timer = setTimeout(resolve, wait)
            signal.addEventListener('abort', () => {
              clearTimeout(timer)
              reject(signal.reason)
            })
          })
        }
      }
    } catch (error) {
      if (live())
        fail(
          id,
          failure(
            error instanceof UploadError
              ? error
              : // A throwing validateFile or overrideParameters fails this file only.
                new UploadError(
                  'validation',
                  String((error as Error)?.message ?? error),
                  {},
                  { cause: error },
                ),
          ),
        )
    } finally {
      if (live()) controllers.delete(id)
      pump()
    }
  }

  const pump = () => {
    for (const item of state.items) {
      // At least one runs, so `concurrency: 0` cannot stall the queue.
      if (controllers.size >= Math.max(options.concurrency ?? 3, 1)) return
      if (item.status === 'queued' && !controllers.has(item.id)) void run(item)
    }
  }

  const abort = (id?: string) => {
    for (const item of state.items) {
      if ((id && item.id !== id) || isDone(item)) continue
      controllers.get(item.id)?.abort()
      controllers.delete(item.id)
      fail(item.id, failure(abortError('The upload')))
    }
    pump()
  }

  const drop = (id?: string) => {
    abort(id)
    for (const item of state.items)
      if (item.previewUrl && (!id || item.id === id)) URL.revokeObjectURL(item.previewUrl)
    commit(id ? state.items.filter((item) => item.id !== id) : [])
  }

  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getSnapshot: () => state,
    add(files) {
      let counted = state.items.filter(isCounted).length
      const added = Array.from(files, (file): UploadItem => {
        const rejection = reject(file, counted)
        if (!rejection) counted++
        return {
          id: `ik${++lastId}`,
          file,
          loaded: 0,
          total: file.size,
          attempt: 0,
          previewUrl: isImage(file) ? URL.createObjectURL(file) : undefined,
          ...(rejection ? refusal(rejection) : { status: 'queued' }),
        }
      })
      commit([...state.items, ...added])
      for (const item of added) if (item.error) call(options.onError, item.error, item)
      pump()
      // Picked files show at once; only the automatic changes after this are coalesced.
      notify()
      return added
    },
    abort,
    retry(id) {
      // A refused file would be refused again: only failed and aborted uploads go back in the queue.
      if (find(id)?.error && !find(id).rejection) update(id, { status: 'queued', attempt: 0, loaded: 0 })
      pump()
    },
    remove: drop,
    clear: () => drop(),
    setOptions(next) {
      options = next
      pump()
    },
  }
}
