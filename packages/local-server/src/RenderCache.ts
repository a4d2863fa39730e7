import { randomUUID } from 'node:crypto'
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs'
import { rename, stat, unlink, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import type { OutputFormat } from './renderJob'

/** A rendering on disk. */
export interface CachedRendering {
  readonly key: string
  readonly path: string
  readonly mime: string
  readonly size: number
}

interface Entry extends CachedRendering {
  /** Answers sending this file now: it is not evicted while any is. */
  pins: number
}

const EXTENSIONS: Readonly<Record<OutputFormat, string>> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
  gif: 'gif',
}
const MIME_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
}
/** `<key>.<extension>`: a rendering; `<key>.<random>.tmp`: one being written. */
const RENDERING = /^([\w-]+)\.(jpg|png|webp|avif|gif)$/
const TEMP_SUFFIX = '.tmp'

/**
 * The render cache: files in one folder, at most `maxBytes` in total, the least recently used
 * evicted first. A rendering is written under a temp name and renamed into place, so a reader
 * never sees half of one; the temp files a killed process leaves are removed when the cache is
 * opened (at the server's start), with any file that is not a rendering. A file being sent is
 * pinned and outlives its eviction until the answer is done, so the folder may briefly hold
 * more than `maxBytes` by what is being sent. The order of use survives a restart through the
 * files' modification times.
 */
export class RenderCache {
  readonly #dir: string
  readonly #maxBytes: number
  /** In order of use, least recent first. */
  readonly #entries = new Map<string, Entry>()
  #bytes = 0
  #evictionQueued = false

  constructor(dir: string, maxBytes: number) {
    this.#dir = dir
    this.#maxBytes = maxBytes
    mkdirSync(dir, { recursive: true })
    const found: { entry: Entry; used: number }[] = []
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      const match = RENDERING.exec(name)
      try {
        const stats = statSync(path)
        if (!stats.isFile()) continue
        if (!match || name.endsWith(TEMP_SUFFIX)) {
          unlinkSync(path)
          continue
        }
        const [, key, extension] = match as unknown as [string, string, string]
        found.push({
          entry: { key, path, mime: MIME_TYPES[extension] as string, size: stats.size, pins: 0 },
          used: stats.mtimeMs,
        })
      } catch {
        // Gone meanwhile, or not ours to remove: either way not in the cache.
      }
    }
    for (const { entry } of found.sort((a, b) => a.used - b.used)) {
      this.#entries.set(entry.key, entry)
      this.#bytes += entry.size
    }
    this.#evict()
  }

  /** Bytes the cached renderings hold. */
  get bytes(): number {
    return this.#bytes
  }

  /** The rendering under `key`, pinned until `release`; `undefined` when there is none. */
  acquire(key: string): CachedRendering | undefined {
    const entry = this.#entries.get(key)
    if (!entry) return undefined
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    entry.pins++
    const now = new Date()
    utimes(entry.path, now, now).catch(() => {})
    return entry
  }

  /** Unpins a rendering `acquire` gave. */
  release(rendering: CachedRendering): void {
    const entry = rendering as Entry
    entry.pins = Math.max(0, entry.pins - 1)
    this.#queueEviction()
  }

  /** A fresh temp name in the cache folder for a rendering of `key`. */
  tempPath(key: string): string {
    return join(this.#dir, `${key}.${randomUUID()}${TEMP_SUFFIX}`)
  }

  /** Renames a finished temp file into place as the rendering of `key`. */
  async commit(key: string, tempPath: string, format: OutputFormat): Promise<void> {
    const extension = EXTENSIONS[format]
    const path = join(this.#dir, `${key}.${extension}`)
    try {
      await rename(tempPath, path)
    } catch (error) {
      await this.discard(tempPath)
      throw error
    }
    const { size } = await stat(path)
    const previous = this.#entries.get(key)
    if (previous) {
      this.#entries.delete(key)
      this.#bytes -= previous.size
    }
    this.#entries.set(key, { key, path, mime: MIME_TYPES[extension] as string, size, pins: 0 })
    this.#bytes += size
    // Later, not now: whoever waits for this rendering pins it first, even one larger than the cache.
    this.#queueEviction()
  }

  /** Removes a temp file that will not become a rendering. */
  async discard(tempPath: string): Promise<void> {
    await unlink(tempPath).catch(() => {})
  }

  #queueEviction(): void {
    if (this.#evictionQueued) return
    this.#evictionQueued = true
    setImmediate(() => {
      this.#evictionQueued = false
      this.#evict()
    })
  }

  #evict(): void {
    for (const entry of this.#entries.values()) {
      if (this.#bytes <= this.#maxBytes) return
      if (entry.pins > 0) continue
      this.#entries.delete(entry.key)
      this.#bytes -= entry.size
      // Synchronous, so a new rendering of the same key can never be renamed in before this runs.
      try {
        unlinkSync(entry.path)
      } catch {}
    }
  }
}
