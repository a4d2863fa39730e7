import { createHash } from 'node:crypto'
import type { StoredFile } from './FileStore'
import { MAX_DIMENSION, requestedFormat, type Transformation, transformationKey } from './parseTransformation'
import { type CachedRendering, RenderCache } from './RenderCache'
import { RenderPool, RenderPoolBusyError, RenderPoolClosedError } from './RenderPool'

/** Delivery's limits: what renders may cost and how much of them is kept. */
export interface DeliveryOptions {
  /** Most bytes the render cache (`<dataDir>/cache/`) holds; the least recently used renderings go first. @default 67108864 (64 MiB) */
  renderCacheBytes?: number
  /** Renders at once, each in its own worker process. @default 2 */
  maxConcurrentRenders?: number
  /**
   * Renders that may wait for a worker; past that, delivery answers 503 with `Retry-After`. Room
   * for a gallery's first load (an image and its placeholder per card), while what waits stays
   * bounded: each render is held to its budget. @default 32
   */
  maxQueuedRenders?: number
  /** CPU milliseconds one render may use; past that it is stopped and answered with 422. @default 1500 */
  renderCpuBudgetMs?: number
  /** Bytes one render may add to its worker's memory; past that it is stopped and answered with 422. @default 268435456 (256 MiB) */
  renderMemoryBudgetBytes?: number
  /** Largest image transformed, in pixels (width × height, every frame of an animation, an SVG as rasterised); larger ones get 422. @default 50000000 */
  maxInputPixels?: number
  /** Called when a render is accepted (it may wait in the queue) and when it ends (logs, tests). A rendering served from the cache, a remembered failure and a 503 are no render. @default none */
  onRender?: (event: RenderEvent) => void
}

/** A render starting or ending. */
export interface RenderEvent {
  phase: 'start' | 'end'
  filePath: string
  /** The transformation, in the canonical form the cache keys it by. */
  transformation: string
  /** At the end: the status delivery answers with (200, or the failure's). */
  status?: number
  /** At the end: CPU milliseconds the render used. */
  cpuMs?: number
  /** At the end: the worker's memory at the render's start and its highest during it. */
  startRssBytes?: number
  peakRssBytes?: number
}

/** What `render` answers: the rendering (pinned until `release`), or the error to send. */
export type RenderResult =
  | { ok: true; rendering: CachedRendering }
  | { ok: false; status: number; message: string; retryAfterSeconds?: number }

/** A failed render's answer. */
type RenderFailure = RenderResult & { ok: false }
/** What a render in flight tells its waiters: the rendering is in the cache under its key, or the failure. */
type FlightResult = { ok: true } | RenderFailure

/** What a request's `Accept` allows, for `f-auto`. */
export interface Accepts {
  avif: boolean
  webp: boolean
}

export const DEFAULT_RENDER_CACHE_BYTES = 64 * 1024 * 1024
export const DEFAULT_MAX_CONCURRENT_RENDERS = 2
export const DEFAULT_MAX_QUEUED_RENDERS = 32
export const DEFAULT_RENDER_CPU_BUDGET_MS = 1500
export const DEFAULT_RENDER_MEMORY_BUDGET_BYTES = 256 * 1024 * 1024
export const DEFAULT_MAX_INPUT_PIXELS = 50_000_000
/** The size of the named thumbnail's box (ours: ImageKit does not publish it). */
export const THUMBNAIL_BOX = 200
/** What a 503 asks a client to wait, in seconds. */
export const RETRY_AFTER_SECONDS = 1
/** The 503 when every render worker is busy and the queue is full. */
const BUSY: RenderFailure = {
  ok: false,
  status: 503,
  message: 'The local server is rendering as many images as it allows; ask again shortly.',
  retryAfterSeconds: RETRY_AFTER_SECONDS,
}
/** Failed renders remembered, so a URL that cannot render is not rendered again and again. */
const REMEMBERED_FAILURES = 1000

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new RangeError(`delivery.${name} must be a positive whole number, got ${value}.`)
  return value
}

function nonNegative(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`delivery.${name} must be a whole number of at least 0, got ${value}.`)
  return value
}

/**
 * Renders transformations of stored images, within delivery's limits: at most
 * `maxConcurrentRenders` at once in worker processes (503 past the queue), each held to a CPU and
 * memory budget; identical renders in flight are done once and shared; renderings are kept in a
 * byte-bounded LRU cache on disk, and failures (an image too large, too slow) are remembered, so
 * asking again costs nothing. The cache key holds the version id, so a replaced file never serves
 * an old rendering.
 */
export class ImageRenderer {
  readonly #cache: RenderCache
  readonly #pool: RenderPool
  readonly #maxInputPixels: number
  readonly #timeoutSeconds: number
  readonly #onRender: ((event: RenderEvent) => void) | undefined
  readonly #inFlight = new Map<string, Promise<FlightResult>>()
  readonly #failures = new Map<string, RenderFailure>()

  constructor(cacheDir: string, options: DeliveryOptions = {}) {
    const cpuBudgetMs = positive(
      'renderCpuBudgetMs',
      options.renderCpuBudgetMs ?? DEFAULT_RENDER_CPU_BUDGET_MS,
    )
    this.#maxInputPixels = positive('maxInputPixels', options.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS)
    // sharp's own timeout is whole seconds; the CPU budget is the precise stop.
    this.#timeoutSeconds = Math.max(1, Math.ceil(cpuBudgetMs / 1000))
    this.#onRender = options.onRender
    this.#pool = new RenderPool({
      concurrency: positive(
        'maxConcurrentRenders',
        options.maxConcurrentRenders ?? DEFAULT_MAX_CONCURRENT_RENDERS,
      ),
      queueLength: nonNegative('maxQueuedRenders', options.maxQueuedRenders ?? DEFAULT_MAX_QUEUED_RENDERS),
      cpuBudgetMs,
      memoryBudgetBytes: positive(
        'renderMemoryBudgetBytes',
        options.renderMemoryBudgetBytes ?? DEFAULT_RENDER_MEMORY_BUDGET_BYTES,
      ),
    })
    this.#cache = new RenderCache(
      cacheDir,
      positive('renderCacheBytes', options.renderCacheBytes ?? DEFAULT_RENDER_CACHE_BYTES),
    )
  }

  /** The cache key and ETag of a rendering, known before rendering (so a 304 costs no render). */
  keyOf(record: StoredFile, transformation: Transformation, accepts: Accepts): { key: string; etag: string } {
    // Only f-auto depends on Accept: other URLs share one rendering whatever the browser.
    const negotiated = requestedFormat(transformation) === 'auto'
    const text = `${transformationKey(transformation)}|${negotiated ? `avif=${accepts.avif},webp=${accepts.webp}` : ''}`
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 32)
    return { key: `${record.versionId}_${hash}`, etag: `"${record.versionId}-${hash.slice(0, 16)}"` }
  }

  /**
   * The rendering of `transformation` of `record` (its bytes at `source`): from the cache, from a
   * render in flight for the same key, or rendered now. Release an `ok` answer's rendering once it
   * is sent.
   */
  async render(
    record: StoredFile,
    source: string,
    transformation: Transformation,
    accepts: Accepts,
  ): Promise<RenderResult> {
    const { key } = this.keyOf(record, transformation, accepts)
    const cached = this.#cache.acquire(key)
    if (cached) return { ok: true, rendering: cached }
    const failed = this.#failures.get(key)
    if (failed) return failed
    let flight = this.#inFlight.get(key)
    if (!flight && this.#pool.full) return BUSY
    if (!flight) {
      flight = this.#renderOnce(key, record, source, transformation, accepts)
      this.#inFlight.set(key, flight)
      // #renderOnce never rejects, so this chain cannot become an unhandled rejection.
      void flight.then(() => this.#inFlight.delete(key))
    }
    const result = await flight
    if (!result.ok) return result
    // Every waiter pins its own use; the flight's result is only the key's news.
    const rendering = this.#cache.acquire(key)
    return rendering
      ? { ok: true, rendering }
      : {
          ok: false,
          status: 503,
          message: 'The rendering was evicted before it could be sent; ask again.',
          retryAfterSeconds: RETRY_AFTER_SECONDS,
        }
  }

  /** Unpins a rendering `render` gave, once its answer is done. */
  release(rendering: CachedRendering): void {
    this.#cache.release(rendering)
  }

  /** Stops every render worker; renders still queued are refused. */
  close(): Promise<void> {
    return this.#pool.close()
  }

  async #renderOnce(
    key: string,
    record: StoredFile,
    source: string,
    transformation: Transformation,
    accepts: Accepts,
  ): Promise<FlightResult> {
    const event = { filePath: record.filePath, transformation: transformationKey(transformation) }
    const target = this.#cache.tempPath(key)
    this.#emit({ phase: 'start', ...event })
    let result: FlightResult
    let costs: Pick<RenderEvent, 'cpuMs' | 'startRssBytes' | 'peakRssBytes'> = {}
    try {
      const outcome = await this.#pool.run({
        source,
        target,
        steps: transformation.steps,
        format: requestedFormat(transformation),
        accepts,
        maxInputPixels: this.#maxInputPixels,
        maxDimension: MAX_DIMENSION,
        thumbnailBox: THUMBNAIL_BOX,
        timeoutSeconds: this.#timeoutSeconds,
      })
      costs = {
        cpuMs: outcome.cpuMs,
        startRssBytes: outcome.startRssBytes,
        peakRssBytes: outcome.peakRssBytes,
      }
      const { reply } = outcome
      if (reply.ok) {
        await this.#cache.commit(key, target, reply.format)
        result = { ok: true }
      } else {
        await this.#cache.discard(target)
        result = { ok: false, status: reply.status, message: reply.message }
        if (outcome.repeatable) this.#remember(key, result)
      }
    } catch (error) {
      await this.#cache.discard(target)
      if (error instanceof RenderPoolBusyError) result = BUSY
      else if (error instanceof RenderPoolClosedError)
        result = {
          ok: false,
          status: 503,
          message: 'The local server is stopping.',
          retryAfterSeconds: RETRY_AFTER_SECONDS,
        }
      // The cache folder refused the rendering (a full disk, say): this request fails, not the server.
      else
        result = {
          ok: false,
          status: 500,
          message: `The rendering could not be stored in the data folder: ${(error as Error).message}`,
        }
    }
    this.#emit({ phase: 'end', ...event, status: result.ok ? 200 : result.status, ...costs })
    return result
  }

  #remember(key: string, failure: RenderFailure): void {
    this.#failures.set(key, failure)
    if (this.#failures.size > REMEMBERED_FAILURES) {
      const oldest = this.#failures.keys().next().value
      if (oldest !== undefined) this.#failures.delete(oldest)
    }
  }

  #emit(event: RenderEvent): void {
    try {
      this.#onRender?.(event)
    } catch {}
  }
}
