import { createWriteStream, type WriteStream } from 'node:fs'
import { unlink } from 'node:fs/promises'
import type { Readable } from 'node:stream'

/** Thrown when a stream carries more bytes than allowed; the partial file is already removed. */
export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError'
}

/** How many leading bytes are kept in memory for type and dimension detection. */
export const HEAD_BYTES = 64 * 1024

/** What was written: the byte count and the first `HEAD_BYTES` bytes. */
export interface WrittenFile {
  size: number
  head: Uint8Array
  /**
   * `true` when the stream ended within `HEAD_BYTES` and `holdSmall` was asked: nothing was
   * written to the path, and `head` holds the whole file.
   */
  held?: true
}

/**
 * Streams `source` into a new file at `path`, at most `limit` bytes. The count is checked on every
 * chunk, so an oversized stream is stopped after at most one chunk past the limit instead of being
 * read to its end, and memory stays at one chunk whatever the size (backpressure pauses the source
 * while the disk catches up). On any failure (too large, source error, disk error, `signal`) the
 * partial file is removed before the promise rejects, so no half file is ever left behind. The
 * source is paused and left undestroyed on failure: the caller owns it (busboy's part streams must
 * not be destroyed under the parser).
 *
 * With `holdSmall` (the caller expects a small file), the file is opened only once the stream goes
 * past the first `HEAD_BYTES`, which are kept in memory anyway (for type detection): a stream that
 * ends within them (most uploads of a few KiB) is never written here, and resolves `held` with the
 * whole file in `head`, for the caller to write once where it belongs instead of to a temp file it
 * then renames. Without it the file is opened at once, so a large stream never waits for the open.
 */
export function writeLimited(
  source: Readable,
  path: string,
  limit: number,
  signal?: AbortSignal,
  holdSmall = false,
): Promise<WrittenFile> {
  return new Promise<WrittenFile>((resolve, reject) => {
    /** Opened at once, or with `holdSmall` once the stream goes past `HEAD_BYTES`. */
    let out: WriteStream | undefined
    /** The whole chunks received while the file is not open (their total is at most `HEAD_BYTES`). */
    let held: Buffer[] = []
    const headChunks: Buffer[] = []
    let headLength = 0
    let size = 0
    let settled = false

    const fail = (error: unknown) => {
      if (settled) return
      settled = true
      detach()
      source.pause()
      held = []
      // Nothing on disk to remove: rejected once the chunk in hand is parsed all the same, as after
      // a removal, so the rest of a body that arrived with it counts as read (no `Connection:
      // close` for a body the server has whole).
      if (!out) return void setImmediate(() => reject(error))
      const opened = out
      opened.destroy()
      // Wait for the descriptor to close before unlinking, so no write lands after the unlink.
      const remove = () => unlink(path).catch(() => {})
      const done = () => void remove().then(() => reject(error))
      if (opened.closed) done()
      else opened.once('close', done)
    }
    const open = (): WriteStream => {
      const opened = createWriteStream(path, { flags: 'wx', highWaterMark: 256 * 1024 })
      out = opened
      opened.on('error', fail)
      opened.on('drain', onDrain)
      for (const chunk of held) opened.write(chunk)
      held = []
      return opened
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) return fail(new FileTooLargeError(`more than ${limit} bytes`))
      if (headLength < HEAD_BYTES) {
        headChunks.push(chunk.subarray(0, HEAD_BYTES - headLength))
        headLength += Math.min(chunk.length, HEAD_BYTES - headLength)
      }
      if (!out && size <= HEAD_BYTES) {
        held.push(chunk)
        return
      }
      if (!(out ?? open()).write(chunk)) source.pause()
    }
    const onDrain = () => {
      if (!settled) source.resume()
    }
    const onEnd = () => {
      if (settled) return
      detach()
      const head = () => new Uint8Array(Buffer.concat(headChunks))
      if (!out && holdSmall) {
        settled = true
        held = []
        return resolve({ size, head: head(), held: true })
      }
      ;(out ?? open()).end(() => {
        if (settled) return
        settled = true
        resolve({ size, head: head() })
      })
    }
    const onAbort = () => fail(signal?.reason ?? new Error('aborted'))
    const onSourceError = (error: unknown) => fail(error)
    const detach = () => {
      source.off('data', onData)
      source.off('end', onEnd)
      source.off('error', onSourceError)
      out?.off('drain', onDrain)
      signal?.removeEventListener('abort', onAbort)
    }

    if (!holdSmall) open()
    source.on('data', onData)
    source.once('end', onEnd)
    source.once('error', onSourceError)
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
    // A 'data' listener does not restart a stream that was paused on purpose (while the fields
    // were judged), so resume explicitly.
    source.resume()
  })
}
