import { UploadError } from './UploadError'

/** One signal that aborts when the caller's does or after `timeout` ms (when given). */
export function withTimeout(signal: AbortSignal | undefined, timeout: number | undefined): AbortSignal {
  const signals: AbortSignal[] = signal ? [signal] : []
  if (timeout) signals.push(AbortSignal.timeout(timeout))
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
