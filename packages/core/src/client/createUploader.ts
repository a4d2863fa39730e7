/**
 * The uploader: a queue of files over the three steps of `upload()` (`uploadFields`, the signer,
 * `sendUpload`), kept in a tiny external store (subscribe / getSnapshot, immutable snapshots, a pure
 * item patch) so that any UI (React through `useSyncExternalStore`, or none) reads one consistent
 * state. No React import here.
 *
 * Cost per file stays flat as the queue grows (issue 11): items are kept by id, the totals are
 * running sums updated by each change's delta, the snapshot (a new items array, results, errors) is
 * built only when read and kept until the next change, and the queue is a set of waiting ids, so no
 * update walks the list.
 */
import { mergeOptions } from './mergeOptions'
import { type ItemPatch, isDone, patchItem } from './patchItem'
import { inspectFile, isImage, rejectFile } from './rejectFile'
import { abortError } from './signals'
import { type SignedUpload, signV1 } from './signUpload'
import { isRetryable, UploadError } from './UploadError'
import type { UploaderOptions } from './UploaderOptions'
import type { FileRejection, UploadItem } from './UploadItem'
import { sendUpload, type UploadResponse, uploadFields } from './upload'

export { mergeOptions } from './mergeOptions'
export type { FileVerdict, UploaderOptions } from './UploaderOptions'
export { UPLOADER_OPTION_NAMES } from './UploaderOptions'
export type { FileRejection, RejectionCode, UploadItem, UploadStatus } from './UploadItem'

/** A snapshot of the uploader; a new object whenever anything changed, the same one otherwise. */
export interface UploaderState {
  /** Every file added and not removed, in the order added; refused, failed and aborted ones too. */
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

/**
 * One item's way through the queue, from its checks to its end (retry waits included): its
 * controller, which aborts its requests, with two marks of the queue's.
 */
interface Run extends AbortController {
  /** Holds one of the `concurrency` upload slots: from its first send to its end. */
  sending?: boolean
  /** Set while it holds a token and waits for a slot: `pump` gives it one through this. */
  go?: () => void
}

let lastId = 0

/**
 * Waits until `start` resolves, or rejects at once when `signal` aborts; what `start` returns (a
 * retry's timer) is cleared then, so an aborted wait holds no timer.
 */
const until = (signal: AbortSignal, start: (resolve: () => void) => unknown) =>
  new Promise<void>((resolve, reject) => {
    const timer = start(resolve)
    signal.addEventListener('abort', () => {
      clearTimeout(timer as number)
      reject(signal.reason)
    })
  })

/**
 * Creates an uploader: `add(files)` queues them, at most `concurrency` upload at once while up to
 * `prefetch` more get checked and signed ahead, network errors, timeouts, 5xx and 429 are retried
 * with backoff (each attempt signed afresh: a token is used once), and the state is read with
 * `getSnapshot()` / `subscribe()`. Creating one has no side effect, so it is safe during server
 * rendering.
 */
export function createUploader(initialOptions: UploaderOptions): Uploader {
  let options = initialOptions
  const items = new Map<string, UploadItem>()
  // Sums over `items`, kept by each change's delta: bytes and items that count (not failed or
  // aborted), and items not finished.
  let loaded = 0
  let total = 0
  let counted = 0
  let unfinished = 0
  let snapshot: UploaderState | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const listeners = new Set<() => void>()
  // The items being worked on; a run that was replaced or dropped is stale and writes nothing.
  const runs = new Map<string, Run>()
  // The queued items no run has taken yet, in queue order.
  const waiting = new Set<string>()

  const notify = () => {
    clearTimeout(timer)
    timer = undefined
    for (const listener of listeners) listener()
  }

  /** Adds an item's share to the sums (`sign` 1), or takes it away (-1). */
  const tally = (item: UploadItem | undefined, sign: number) => {
    if (item && !item.error) {
      loaded += sign * item.loaded
      total += sign * item.total
      counted += sign
    }
    if (item && !isDone(item)) unfinished += sign
  }

  // The state is always current; only notifications are coalesced (at most one per 50 ms, about
  // three animation frames), so 100 files x 100 progress events cost a few hundred renders, not 10,000.
  /** Replaces an item, or removes it when `item` is not given. */
  const put = (id: string, item?: UploadItem) => {
    const busy = unfinished
    tally(items.get(id), -1)
    item ? items.set(id, item) : items.delete(id)
    tally(item, 1)
    snapshot = undefined
    // The change that finishes the last unfinished item is shown at once: a UI waiting for "all
    // done" (and `isUploading` false) gets it without the coalescing delay.
    if (busy && !unfinished) notify()
    else timer ??= setTimeout(notify, 50)
  }

  const get = (id: string) => items.get(id) as UploadItem
  const update = (id: string, patch: ItemPatch) => put(id, patchItem(get(id), patch))

  const fail = (id: string, patch: Failure) => {
    update(id, patch)
    if (patch.status === 'error') call(options.onError, patch.error, get(id))
  }

  const run = async ({ id, file }: UploadItem) => {
    const self: Run = new AbortController()
    const { signal } = self
    // Deleted first, so a retry called from onError (the old run not yet ended) goes to the end.
    runs.delete(id)
    runs.set(id, self)
    // abort(), remove() and retry() drop or replace the run: this one then stops writing.
    const live = () => runs.get(id) === self
    const set = (patch: ItemPatch) => {
      const ok = live()
      if (ok) update(id, patch)
      return ok
    }
    let attempt = 0
    try {
      set({ status: 'validating', attempt, loaded: 0 })
      const rejection = await inspectFile(file, options)
      if (rejection) {
        if (live()) fail(id, refusal(rejection))
        return
      }
      const merged = mergeOptions(options, await options.overrideParameters?.(file))
      // The app's own option check (e.g. checkUploadOptions), before any request: a bad option then
      // costs no token. Without one the server judges the fields and answers the same message; the
      // rules are opt-in so that IKUpload's bundle does not carry them (issue 8's budgets).
      const problem = options.checkOptions?.(merged)
      if (problem) throw new UploadError('validation', problem.message, problem)
      // The fields are known here, before any slot is free: so even a v2 token, which signs them,
      // can be fetched ahead (prefetch runs validation and overrideParameters early for it).
      const fields = uploadFields(file, merged)
      if (!live()) return
      call(options.onUploadStart, file, get(id))
      let signedAt = 0
      /** One auth request: the attempt's token. */
      const sign = async (): Promise<SignedUpload> => {
        set({ status: 'authenticating', attempt, loaded: 0 })
        const signed = await (merged.signer || signV1)(fields, merged, signal)
        signedAt = Date.now() / 1000
        return signed
      }
      for (;;) {
        attempt++
        try {
          let signed = await sign()
          // Token in hand: it waits in line (queued) until `pump` gives it an upload slot. A run
          // keeps its slot through its retries, so only the first attempt waits.
          if (!self.sending)
            await until(signal, (resolve) => {
              self.go = resolve
              pump()
              if (!self.sending) set({ status: 'queued', attempt, loaded: 0 })
            })
          // A token held past half its lifetime is thrown away (a 30-minute token after 15 minutes),
          // so the upload starts with time to spare; a fresh one always passes, so this cannot loop.
          if (Date.now() / 1000 > (signed.expire + signedAt) / 2) signed = await sign()
          const { token, signature, expire, publicKey, ...sent } = signed.fields
          set({ status: 'uploading', fields: sent })
          const result: UploadResponse = await sendUpload(file, signed, merged, {
            signal,
            timeout: options.timeout,
            stallTimeout: options.stallTimeout ?? 30_000,
            onProgress(progress) {
              const { loaded, total } = progress
              // Body bytes include the form fields: scale to file bytes, so totals add up.
              if (set({ loaded: total && Math.round((file.size * loaded) / total) }))
                call(options.onUploadProgress, progress, get(id))
            },
          })
          if (set({ status: 'success', loaded: file.size, result })) call(options.onSuccess, result, get(id))
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
          // Moved behind the other runs while it waits, so runs after it that hold a token take the
          // free slots instead of waiting out its backoff (a run still live only).
          if (set({ status: 'queued', attempt, loaded: 0, retryAt: Date.now() + wait })) {
            runs.delete(id)
            runs.set(id, self)
          }
          await until(signal, (resolve) => setTimeout(resolve, wait))
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
      if (live()) runs.delete(id)
      pump()
    }
  }

  /**
   * Gives free upload slots to the runs that hold a token, in the order they started, then starts
   * runs for waiting items while fewer than `concurrency + prefetch` are under way. Walks the runs
   * (a handful), never the list.
   */
  const pump = () => {
    // At least one slot, so `concurrency: 0` cannot stall the queue.
    // `|| 3`: a NaN (a form's Number('abc')) must not lift every limit.
    const slots = Math.max(options.concurrency ?? 3, 1) || 3
    let free = slots
    for (const other of runs.values()) if (other.sending) free--
    // In queue order: a slot goes to the first run not sending, once it holds its token, so
    // uploads start in the order the files were added even when auth answers out of order.
    for (const other of runs.values())
      if (!other.sending) {
        if (!other.go || free < 1) break
        free--
        other.sending = true
        other.go()
        other.go = undefined
      }
    for (const id of waiting) {
      if (runs.size >= slots + (options.prefetch ?? slots)) return
      waiting.delete(id)
      void run(get(id))
    }
  }

  /** One item, or every item. */
  const pick = (id?: string) => (id ? [items.get(id)] : items.values())

  const abort = (id?: string) => {
    for (const item of pick(id)) {
      if (!item || isDone(item)) continue
      // Its auth request, upload request or held token goes with it.
      runs.get(item.id)?.abort()
      runs.delete(item.id)
      waiting.delete(item.id)
      fail(item.id, failure(abortError('The upload')))
    }
    pump()
  }

  const drop = (id?: string) => {
    abort(id)
    for (const item of pick(id)) {
      URL.revokeObjectURL(item?.previewUrl as string)
      if (item) put(item.id)
    }
  }

  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getSnapshot() {
      if (!snapshot) {
        const list = [...items.values()]
        snapshot = {
          items: list,
          loaded,
          total,
          // 0 / 0 is NaN: no bytes to send is 0%.
          progress: Math.floor((loaded * 100) / total) || 0,
          isUploading: unfinished > 0,
          // flatMap keeps an object and drops an empty array: the results and errors in queue order.
          results: list.flatMap((item) => item.result ?? []),
          errors: list.flatMap((item) => (item.status === 'error' ? item.error : [])),
        }
      }
      return snapshot
    },
    add(files) {
      const added = Array.from(files, (file): UploadItem => {
        const rejection = rejectFile(file, options, counted)
        const item: UploadItem = {
          id: `ik${++lastId}`,
          file,
          loaded: 0,
          total: file.size,
          attempt: 0,
          previewUrl: isImage(file) ? URL.createObjectURL(file) : undefined,
          ...(rejection ? refusal(rejection) : { status: 'queued' }),
        }
        // Counted at once, so the next file of the same call meets maxFiles.
        put(item.id, item)
        if (!rejection) waiting.add(item.id)
        return item
      })
      for (const item of added) if (item.error) call(options.onError, item.error, item)
      pump()
      // Picked files show at once; only the automatic changes after this are coalesced.
      notify()
      return added
    },
    abort,
    retry(id) {
      // A refused file would be refused again: only failed and aborted uploads go back in the queue,
      // at its end.
      const item = items.get(id)
      if (item?.error && !item.rejection) {
        update(id, { status: 'queued', attempt: 0, loaded: 0 })
        waiting.add(id)
      }
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
