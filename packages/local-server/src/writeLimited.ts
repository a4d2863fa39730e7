import { createWriteStream } from 'node:fs'
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
}

/**
 * Streams `source` into a new file at `path`, at most `limit` bytes. The count is checked on every
 * chunk, so an oversized stream is stopped after at most one chunk past the limit instead of being
 * read to its end, and memory stays at one chunk whatever the size (backpressure pauses the source
 * while the disk catches up). On any failure (too large, source error, disk error, `signal`) the
 * partial file is removed before the promise rejects, so no half file is ever left behind. The
 * source is paused and left undestroyed on failure: the caller owns it (busboy's part streams must
 * not be destroyed under the parser).
 */
export function writeLimited(
  source: Readable,
  path: string,
  limit: number,
  signal?: AbortSignal,
): Promise<WrittenFile> {
  return new Promise<WrittenFile>((resolve, reject) => {
    const out = createWriteStream(path, { flags: 'wx', highWaterMark: 256 * 1024 })
    const headChunks: Buffer[] = []
    let headLength = 0
    let size = 0
    let settled = false

    const fail = (error: unknown) => {
      if (settled) return
      settled = true
      detach()
      source.pause()
      out.destroy()
      // Wait for the descriptor to close before unlinking, so no write lands after the unlink.
      const remove = () => unlink(path).catch(() => {})
      const done = () => void remove().then(() => reject(error))
      if (out.closed) done()
      else out.once('close', done)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) return fail(new FileTooLargeError(`more than ${limit} bytes`))
      if (headLength < HEAD_BYTES) {
        headChunks.push(chunk.subarray(0, HEAD_BYTES - headLength))
        headLength += Math.min(chunk.length, HEAD_BYTES - headLength)
      }
      if (!out.write(chunk)) source.pause()
    }
    const onDrain = () => {
      if (!settled) source.resume()
    }
    const onEnd = () => {
      if (settled) return
      detach()
      out.end(() => {
        if (settled) return
        settled = true
        resolve({ size, head: new Uint8Array(Buffer.concat(headChunks)) })
      })
    }
    const onAbort = () => fail(signal?.reason ?? new Error('aborted'))
    const onSourceError = (error: unknown) => fail(error)
    const detach = () => {
      source.off('data', onData)
      source.off('end', onEnd)
      source.off('error', onSourceError)
      out.off('drain', onDrain)
      signal?.removeEventListener('abort', onAbort)
    }

    out.on('error', fail)
    out.on('drain', onDrain)
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
