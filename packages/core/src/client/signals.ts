import { UploadError, type UploadErrorCode } from './UploadError'

/**
 * A `setTimeout` for a finite positive number of ms below 2^31 (setTimeout fires at once past
 * that); `0`, `Infinity` and non-numbers make none.
 */
const startTimer = (ms: number | undefined, fire: () => void) =>
  (ms as number) > 0 && (ms as number) < 2 ** 31 ? setTimeout(fire, ms) : undefined

/**
 * Runs `task` with a signal of its own that aborts when `signal` does, `timeout` ms after the start,
 * or `stall` ms after the start or the last `touch()`; a task that ignores the signal still loses.
 * The timers are plain `setTimeout`s, which hold the controller until the task settles and are
 * cleared then: on Node 20 `AbortSignal.any([AbortSignal.timeout(ms)])` holds its source weakly,
 * so after a garbage collection no timeout fired (issue 9, defect 5). Rejects with `abortError` when
 * the signal aborted, with the task's own `UploadError`, or else with a `code` error that says `what`
 * failed: a `network` one says what is known (no answer came: an XHR error event carries no reason,
 * so it guesses none, CORS included) and what to try; another one quotes the thrown message.
 */
export async function withTimeout<T>(
  signal: AbortSignal | undefined,
  what: string,
  task: (signal: AbortSignal, touch: () => void) => T | Promise<T>,
  code: UploadErrorCode,
  timeout?: number,
  stall?: number,
): Promise<T> {
  const controller = new AbortController()
  const own = controller.signal
  const follow = () => controller.abort(signal?.reason)
  // Named like the reason of AbortSignal.timeout(), which abortError() reads.
  const expire = () => controller.abort(new DOMException(what, 'TimeoutError'))
  const timer = startTimer(timeout, expire)
  let stallTimer: ReturnType<typeof setTimeout> | undefined
  const touch = () => {
    clearTimeout(stallTimer)
    stallTimer = startTimer(stall, expire)
  }
  touch()
  signal?.addEventListener('abort', follow)
  try {
    if (signal?.aborted) follow()
    own.throwIfAborted()
    return await Promise.race([
      task(own, touch),
      // Rejects with the abort event; the catch below reads the reason from the signal.
      new Promise<never>((_, reject) => own.addEventListener('abort', reject)),
    ])
  } catch (error) {
    throw own.aborted
      ? abortError(what, own.reason)
      : error instanceof UploadError
        ? error
        : new UploadError(
            code,
            `${what} failed: ${code === 'network' ? 'no answer from the server. Check the connection and try again.' : ((error as Error)?.message ?? error)}`,
            {},
            { cause: error },
          )
  } finally {
    clearTimeout(timer)
    clearTimeout(stallTimer)
    signal?.removeEventListener('abort', follow)
  }
}

/** The `UploadError` for an abort with `reason`: `timeout` when a timeout fired, else `aborted`. */
export function abortError(what: string, reason?: unknown): UploadError {
  const timedOut = (reason as Error | undefined)?.name === 'TimeoutError'
  return new UploadError(
    timedOut ? 'timeout' : 'aborted',
    `${what} ${timedOut ? 'timed out' : 'was aborted'}.`,
    {},
    { cause: reason },
  )
}

/**
 * How a reply that is not the JSON expected is described (auth endpoint and upload server alike):
 * its status and how its body starts, which tells a login page or a proxy's error page at once.
 */
export const unexpectedReply = (status: number, text: string): string =>
  `answered HTTP ${status}, not the expected JSON: ${JSON.stringify(text.slice(0, 40))}.`
