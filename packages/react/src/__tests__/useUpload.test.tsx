import { DEV_AUTH_ENDPOINT, DEV_PUBLIC_KEY, uploadHandlers } from '@ik-upload/msw'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { setupServer } from 'msw/node'
import { StrictMode } from 'react'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { IKContext } from '../IKContext'
import type { Transport } from '../index'
import { type UseUploadOptions, useUpload } from '../useUpload'

const UPLOAD = 'https://upload.ikupload.test/api/v1/files/upload'
const mock = uploadHandlers({ uploadEndpoint: UPLOAD })
const server = setupServer(...mock.handlers)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  mock.reset()
  vi.restoreAllMocks()
})
afterAll(() => server.close())

let renders = 0

/** A custom upload UI built on the hook, as an app would write one. */
function Queue(options: UseUploadOptions) {
  const { items, progress, isUploading, results, errors, upload, abort, retry, remove } = useUpload(options)
  renders++
  return (
    <div>
      <input
        type="file"
        multiple
        data-testid="picker"
        onChange={(event) => upload(event.target.files ?? [])}
      />
      <p data-testid="summary">
        {isUploading ? 'uploading' : 'idle'} {progress}% results:{results.length} errors:{errors.length}
      </p>
      <ul>
        {items.map((item) => (
          <li key={item.id} data-testid={item.file.name} data-status={item.status}>
            {item.file.name} {item.rejection?.code}
            <button type="button" onClick={() => abort(item.id)}>
              abort
            </button>
            <button type="button" onClick={() => retry(item.id)}>
              retry
            </button>
            <button type="button" onClick={() => remove(item.id)}>
              remove
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => abort()}>
        abort all
      </button>
    </div>
  )
}

function renderQueue(options: UseUploadOptions = {}, strict = false) {
  const tree = (
    <IKContext publicKey={DEV_PUBLIC_KEY} authenticationEndpoint={DEV_AUTH_ENDPOINT} uploadEndpoint={UPLOAD}>
      <Queue {...options} />
    </IKContext>
  )
  return render(strict ? <StrictMode>{tree}</StrictMode> : tree)
}

const text = (name: string, content = 'hello') => new File([content], name, { type: 'text/plain' })
const files = (...names: string[]) => names.map((name) => text(name))
const status = (name: string) => screen.getByTestId(name).getAttribute('data-status')
const summary = () => screen.getByTestId('summary').textContent

describe('useUpload', () => {
  it('renders items, aggregate progress, results and errors as uploads finish', async () => {
    mock.failNext(1, 400)
    renderQueue({ concurrency: 1 })
    expect(summary()).toBe('idle 0% results:0 errors:0')
    await userEvent.upload(screen.getByTestId('picker'), files('bad.txt', 'a.txt', 'b.txt'))
    await waitFor(() => expect(summary()).toBe('idle 100% results:2 errors:1'))
    expect(['bad.txt', 'a.txt', 'b.txt'].map(status)).toEqual(['error', 'success', 'success'])
  })

  it('runs at most 3 uploads at once (seen by the server)', async () => {
    mock.pause()
    renderQueue()
    await userEvent.upload(screen.getByTestId('picker'), files('1', '2', '3', '4', '5'))
    await waitFor(() => expect(mock.requests).toHaveLength(3))
    // Let everything that could start, start: a fourth request would have arrived by now.
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)))
    expect(mock.requests).toHaveLength(3)
    expect(['1', '2', '3', '4', '5'].map(status)).toEqual([
      'uploading',
      'uploading',
      'uploading',
      'queued',
      'queued',
    ])
    mock.resume()
    await waitFor(() => expect(summary()).toBe('idle 100% results:5 errors:0'))
    expect(mock.requests).toHaveLength(5)
  })

  it('aborts one item while the others go on', async () => {
    mock.pause()
    renderQueue()
    await userEvent.upload(screen.getByTestId('picker'), files('a', 'b', 'c'))
    await waitFor(() => expect(mock.requests).toHaveLength(3))
    await userEvent.click(within(await screen.findByTestId('b')).getByText('abort'))
    await waitFor(() => expect(status('b')).toBe('aborted'))
    mock.resume()
    await waitFor(() => expect(summary()).toBe('idle 100% results:2 errors:0'))
    expect(['a', 'b', 'c'].map(status)).toEqual(['success', 'aborted', 'success'])
  })

  it('aborts every unfinished item at once', async () => {
    mock.pause()
    renderQueue({ concurrency: 2 })
    await userEvent.upload(screen.getByTestId('picker'), files('a', 'b', 'c'))
    await waitFor(() => expect(mock.requests).toHaveLength(2))
    await userEvent.click(screen.getByText('abort all'))
    await waitFor(() => expect(['a', 'b', 'c'].map(status)).toEqual(['aborted', 'aborted', 'aborted']))
    expect(summary()).toBe('idle 0% results:0 errors:0')
    mock.resume()
    expect(mock.requests).toHaveLength(2)
  })

  it('retries a failed item on demand, and removes one', async () => {
    mock.failNext(1, 400)
    renderQueue()
    await userEvent.upload(screen.getByTestId('picker'), files('a'))
    await waitFor(() => expect(status('a')).toBe('error'))
    await userEvent.click(screen.getByText('retry'))
    await waitFor(() => expect(status('a')).toBe('success'))
    await userEvent.click(screen.getByText('remove'))
    await waitFor(() => expect(screen.queryByTestId('a')).toBeNull())
    expect(summary()).toBe('idle 0% results:0 errors:0')
  })

  it('shows refused files as items with their rejection code', async () => {
    renderQueue({ maxFiles: 1 })
    await userEvent.upload(screen.getByTestId('picker'), files('a', 'b'))
    await waitFor(() => expect(status('a')).toBe('success'))
    expect(status('b')).toBe('error')
    expect(screen.getByTestId('b')).toHaveTextContent('too-many-files')
    expect(mock.requests).toHaveLength(1)
  })

  it('aborts unfinished uploads on unmount', async () => {
    const signals: AbortSignal[] = []
    const transport: Transport = ({ signal }) => {
      signals.push(signal)
      return new Promise(() => {})
    }
    const { unmount } = renderQueue({ transport })
    await userEvent.upload(screen.getByTestId('picker'), files('a', 'b'))
    await waitFor(() => expect(signals).toHaveLength(2))
    unmount()
    expect(signals.map((signal) => signal.aborted)).toEqual([true, true])
  })

  it('works under StrictMode: no double upload, no lost state', async () => {
    renderQueue({}, true)
    await userEvent.upload(screen.getByTestId('picker'), files('a', 'b'))
    await waitFor(() => expect(summary()).toBe('idle 100% results:2 errors:0'))
    expect(mock.requests).toHaveLength(2)
    expect(mock.authRequests).toHaveLength(2)
  })

  it('coalesces progress: 20 files x 100 progress events cost a few renders, not 2,000', async () => {
    const transport: Transport = async ({ onProgress }) => {
      for (let loaded = 1; loaded <= 100; loaded++) onProgress?.({ loaded, total: 100 })
      return { status: 200, text: '{"fileId":"x","name":"x","url":"/x","filePath":"/x"}', header: () => null }
    }
    renderQueue({ transport, authenticator: () => mock.authParams(), concurrency: 20 })
    renders = 0
    await userEvent.upload(
      screen.getByTestId('picker'),
      Array.from({ length: 20 }, (_, index) => text(`${index}`)),
    )
    await waitFor(() => expect(summary()).toBe('idle 100% results:20 errors:0'))
    expect(renders).toBeLessThan(20)
  })
})
