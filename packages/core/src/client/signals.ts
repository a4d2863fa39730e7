import { UploadError } from './UploadError'

/**
 * One signal that aborts when the caller's does or after `timeout` ms. Only a finite positive
 * number makes a timer: `0`, `Infinity` and non-numbers mean none (AbortSignal.timeout throws a
 * raw RangeError for Infinity).
 */
export function withTimeout(signal: AbortSignal | undefined, timeout: number | undefined): AbortSignal {
  const signals: AbortSignal[] = signal ? [signal] : []
  if ((timeout as number) > 0 && (timeout as number) < 1e12)
    signals.push(AbortSignal.timeout(timeout as number))
  return AbortSignal.any(signals)
}

/** The `UploadError` for an aborted signal: `timeout` when a timeout fired, else `aborted`. */
export function abortError(signal: AbortSignal, what: string): UploadError {
  const timedOut = (signal.reason as Error | undefined)?.name === 'TimeoutError'
  return new UploadError(
    timedOut ? 'timeout' : 'aborted',
    `${what} ${timedOut ? 'timed out' : 'was aborted'}.`,
    {},
    {
      cause: signal.reason,
    },
  )
}
