import { DEV_AUTH_ENDPOINT, DEV_PUBLIC_KEY, DEV_URL_ENDPOINT, uploadHandlers } from '@ik-upload/msw'
import { act, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { setupServer } from 'msw/node'
import { createRef, type ReactNode, StrictMode } from 'react'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { IKContext, type IKContextProps } from '../IKContext'
import { IKUpload, type IKUploadElement, type IKUploadProps } from '../IKUpload'
import {
  imageDimensions,
  type Transport,
  UPLOAD_FIELD_NAMES,
  UPLOADER_OPTION_NAMES,
  type UploadResponse,
} from '../index'

const UPLOAD = 'https://upload.ikupload.test/api/v1/files/upload'
const mock = uploadHandlers({ uploadEndpoint: UPLOAD })
const server = setupServer(...mock.handlers)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  mock.reset()
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})
afterAll(() => server.close())

const context: IKContextProps = {
  publicKey: DEV_PUBLIC_KEY,
  urlEndpoint: DEV_URL_ENDPOINT,
  authenticationEndpoint: DEV_AUTH_ENDPOINT,
  uploadEndpoint: UPLOAD,
}

function renderUpload(props: IKUploadProps = {}, contextProps: Partial<IKContextProps> = {}) {
  const ref = createRef<IKUploadElement>()
  const result = render(
    <IKContext {...context} {...contextProps}>
      <IKUpload data-testid="upload" {...props} ref={ref} />
    </IKContext>,
  )
  return { ...result, ref, input: screen.getByTestId('upload') as HTMLInputElement }
}

function NestedContexts({ children }: { children: ReactNode }) {
  return (
    <IKContext {...context} folder="/outer" tags={['a']}>
      <IKContext folder="/inner" tags={undefined}>
        {children}
      </IKContext>
    </IKContext>
  )
}

const text = (name = 'notes.txt', content = 'hello') => new File([content], name, { type: 'text/plain' })

describe('IKUpload', () => {
  it('uploads a picked file and calls onSuccess with the server response', async () => {
    const onSuccess = vi.fn()
    const { input } = renderUpload({ onSuccess })
    expect(input).toHaveAttribute('type', 'file')
    await userEvent.upload(input, text())
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1))
    const [result] = onSuccess.mock.calls[0] as [UploadResponse]
    expect(result).toMatchObject({
      name: expect.stringMatching(/^notes_[\w-]{9}\.txt$/),
      url: expect.stringContaining(DEV_URL_ENDPOINT),
      fileType: 'non-image',
    })
    expect(mock.requests[0]?.file?.name).toBe('notes.txt')
  })

  it('sends every upload option prop as its wire field', async () => {
    const onSuccess = vi.fn()
    const { input } = renderUpload({
      onSuccess,
      fileName: 'report.txt',
      useUniqueFileName: false,
      tags: ['t-shirt', 'sale'],
      folder: '/products/shirts',
      isPrivateFile: true,
      customCoordinates: '10,10,100,100',
      responseFields: ['tags', 'customCoordinates', 'isPrivateFile', 'customMetadata', 'isPublished'],
      isPublished: false,
      description: 'A report',
      overwriteFile: true,
      overwriteTags: false,
      overwriteAITags: false,
      overwriteCustomMetadata: false,
      customMetadata: { color: 'red' },
      extensions: [{ name: 'google-auto-tagging', maxTags: 5, minConfidence: 95 }],
      webhookUrl: 'https://app.test/hook',
      transformation: { pre: 'w-100', post: [{ type: 'thumbnail', value: 'w-50' }] },
      checks: '"file.size" < "1mb"',
    })
    await userEvent.upload(input, text())
    await waitFor(() => expect(onSuccess).toHaveBeenCalled())
    expect(mock.requests[0]?.fields).toMatchObject({
      fileName: 'report.txt',
      useUniqueFileName: 'false',
      tags: 't-shirt,sale',
      folder: '/products/shirts',
      isPrivateFile: 'true',
      customCoordinates: '10,10,100,100',
      responseFields: 'tags,customCoordinates,isPrivateFile,customMetadata,isPublished',
      isPublished: 'false',
      description: 'A report',
      overwriteFile: 'true',
      overwriteTags: 'false',
      overwriteAITags: 'false',
      overwriteCustomMetadata: 'false',
      customMetadata: '{"color":"red"}',
      extensions: '[{"name":"google-auto-tagging","maxTags":5,"minConfidence":95}]',
      webhookUrl: 'https://app.test/hook',
      transformation: '{"pre":"w-100","post":[{"type":"thumbnail","value":"w-50"}]}',
      checks: '"file.size" < "1mb"',
      publicKey: DEV_PUBLIC_KEY,
    })
    expect(onSuccess.mock.calls[0]?.[0]).toMatchObject({
      filePath: '/products/shirts/report.txt',
      tags: ['t-shirt', 'sale'],
      customCoordinates: '10,10,100,100',
      isPrivateFile: true,
      isPublished: false,
      customMetadata: { color: 'red' },
      extensionStatus: { 'google-auto-tagging': 'skipped' },
    })
  })

  it('passes only valid attributes to the DOM, and React warns about none', async () => {
    const warn = vi.spyOn(console, 'error')
    const everyOption = Object.fromEntries(
      [...UPLOAD_FIELD_NAMES, ...UPLOADER_OPTION_NAMES].map((name) => [
        name,
        name.startsWith('on') ? () => {} : 'x',
      ]),
    )
    const { input } = renderUpload({
      ...everyOption,
      publicKey: DEV_PUBLIC_KEY,
      id: 'avatar',
      name: 'avatar',
      className: 'picker',
      'aria-label': 'Avatar',
      accept: 'image/*',
      multiple: true,
      disabled: false,
    } as IKUploadProps)
    const attributes = [...input.attributes].map((attribute) => attribute.name).sort()
    expect(attributes).toEqual([
      'accept',
      'aria-label',
      'class',
      'data-testid',
      'id',
      'multiple',
      'name',
      'type',
    ])
    expect(input).toHaveAttribute('accept', 'image/*')
    expect(warn).not.toHaveBeenCalled()
  })

  it('takes several files with `multiple`, and calls onUploadStart and onUploadProgress for each', async () => {
    const onUploadStart = vi.fn()
    const onUploadProgress = vi.fn()
    const onSuccess = vi.fn()
    const { input } = renderUpload({ multiple: true, onUploadStart, onUploadProgress, onSuccess })
    await userEvent.upload(input, [text('a.txt'), text('b.txt')])
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(2))
    expect(onUploadStart.mock.calls.map(([file]) => (file as File).name).sort()).toEqual(['a.txt', 'b.txt'])
    expect(onUploadProgress).toHaveBeenCalledWith(
      expect.objectContaining({ loaded: expect.any(Number), total: expect.any(Number) }),
      expect.objectContaining({ file: expect.any(File) }),
    )
  })

  it('calls onError with the server message when the upload is refused', async () => {
    const onError = vi.fn()
    const { input } = renderUpload({ onError, checks: '"file.size" <' })
    await userEvent.upload(input, text())
    await waitFor(() => expect(onError).toHaveBeenCalledTimes(1))
    expect(onError.mock.calls[0]?.[0]).toMatchObject({
      name: 'UploadError',
      code: 'server',
      status: 400,
      message: 'Your request contains invalid syntax for the checks parameter.',
      help: 'For support kindly contact us at support@imagekit.io .',
    })
  })

  it('validateFile refuses a file before any request', async () => {
    const onError = vi.fn()
    const validateFile = vi.fn((file: File) => (file.size < 3 ? 'Too short.' : true))
    const { input } = renderUpload({ onError, validateFile })
    await userEvent.upload(input, text('tiny.txt', 'hi'))
    await waitFor(() => expect(onError).toHaveBeenCalledTimes(1))
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'validation', message: 'Too short.' })
    expect(onError.mock.calls[0]?.[1]).toMatchObject({
      rejection: { code: 'invalid-file', message: 'Too short.' },
    })
    expect(mock.requests).toHaveLength(0)
    expect(mock.authRequests).toHaveLength(0)
  })

  it('enforces accept and maxFileSize as restrictions, even for files the picker let through', async () => {
    const onError = vi.fn()
    const user = userEvent.setup({ applyAccept: false })
    const { input } = renderUpload({ onError, accept: '.png', maxFileSize: 4, multiple: true })
    await user.upload(input, [text('a.txt', 'hi'), new File(['12345'], 'b.png', { type: 'image/png' })])
    await waitFor(() => expect(onError).toHaveBeenCalledTimes(2))
    expect(onError.mock.calls.map(([, item]) => item.rejection.code)).toEqual([
      'file-invalid-type',
      'file-too-large',
    ])
    expect(mock.requests).toHaveLength(0)
  })

  it('merges overrideParameters with ??, so false overrides a true prop', async () => {
    const onSuccess = vi.fn()
    const { input } = renderUpload({
      onSuccess,
      useUniqueFileName: true,
      folder: '/kept',
      overrideParameters: (file) => ({
        useUniqueFileName: false,
        fileName: `x-${file.name}`,
        folder: undefined,
      }),
    })
    await userEvent.upload(input, text())
    await waitFor(() => expect(onSuccess).toHaveBeenCalled())
    expect(mock.requests[0]?.fields).toMatchObject({
      useUniqueFileName: 'false',
      fileName: 'x-notes.txt',
      folder: '/kept',
    })
  })

  it('resets the input, so the same file can be picked twice', async () => {
    const onSuccess = vi.fn()
    const { input } = renderUpload({ onSuccess })
    const file = text()
    await userEvent.upload(input, file)
    expect(input.value).toBe('')
    await userEvent.upload(input, file)
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(2))
  })

  it("runs the user's onChange first; preventDefault in it stops the upload", async () => {
    const order: string[] = []
    const onChange = vi.fn((event: React.ChangeEvent<HTMLInputElement>) => {
      order.push(`change:${event.target.files?.[0]?.name}`)
      event.preventDefault()
    })
    const onUploadStart = vi.fn()
    const { input } = renderUpload({ onChange, onUploadStart })
    await userEvent.upload(input, text())
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)))
    expect(order).toEqual(['change:notes.txt'])
    expect(onUploadStart).not.toHaveBeenCalled()
    expect(mock.requests).toHaveLength(0)
  })

  it('forwards its ref to the input, with abort() to cancel the uploads', async () => {
    const signals: AbortSignal[] = []
    const transport: Transport = ({ signal }) => {
      signals.push(signal)
      return new Promise(() => {})
    }
    const onError = vi.fn()
    const { ref, input } = renderUpload({ transport, onError, multiple: true })
    expect(ref.current).toBe(input)
    await userEvent.upload(input, [text('a'), text('b')])
    await waitFor(() => expect(signals).toHaveLength(2))
    act(() => ref.current?.abort())
    expect(signals.every((signal) => signal.aborted)).toBe(true)
    expect(onError).not.toHaveBeenCalled()
  })

  it('aborts its uploads when it unmounts', async () => {
    const signals: AbortSignal[] = []
    const transport: Transport = ({ signal }) => {
      signals.push(signal)
      return new Promise(() => {})
    }
    const { input, unmount } = renderUpload({ transport })
    await userEvent.upload(input, text())
    await waitFor(() => expect(signals).toHaveLength(1))
    unmount()
    expect(signals[0]?.aborted).toBe(true)
  })

  it('retries a 503 with a new token (seen by the server)', async () => {
    mock.failNext(1, 503)
    const onSuccess = vi.fn()
    const { input } = renderUpload({ onSuccess, retryDelay: 1 })
    await userEvent.upload(input, text())
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1))
    const [failed, retried] = mock.requests
    expect([failed?.status, retried?.status]).toEqual([503, 200])
    expect(retried?.token).toBeTruthy()
    expect(retried?.token).not.toBe(failed?.token)
    expect(mock.authRequests).toHaveLength(2)
  })

  it('sends custom headers and credentials to the auth endpoint', async () => {
    const onSuccess = vi.fn()
    const { input } = renderUpload(
      { onSuccess },
      { authenticationRequest: { headers: { Authorization: 'Bearer s3ss' } } },
    )
    await userEvent.upload(input, text())
    await waitFor(() => expect(onSuccess).toHaveBeenCalled())
    expect(mock.authRequests[0]?.headers.authorization).toBe('Bearer s3ss')
  })

  it('takes an authenticator function instead of an endpoint', async () => {
    const onSuccess = vi.fn()
    const authenticator = vi.fn(() => mock.authParams())
    const { input } = renderUpload({ onSuccess }, { authenticationEndpoint: undefined, authenticator })
    await userEvent.upload(input, text())
    await waitFor(() => expect(onSuccess).toHaveBeenCalled())
    expect(authenticator).toHaveBeenCalledTimes(1)
    expect(mock.authRequests).toHaveLength(0)
  })

  it('uses the latest callback props', async () => {
    const first = vi.fn()
    const second = vi.fn()
    const { input, rerender } = renderUpload({ onSuccess: first })
    rerender(
      <IKContext {...context}>
        <IKUpload data-testid="upload" onSuccess={second} />
      </IKContext>,
    )
    await userEvent.upload(input, text())
    await waitFor(() => expect(second).toHaveBeenCalled())
    expect(first).not.toHaveBeenCalled()
  })

  it('a throwing onSuccess does not stop the next uploads', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const calls: string[] = []
    const onSuccess = (result: UploadResponse) => {
      calls.push(result.name)
      throw new Error('bug in the app')
    }
    const { input } = renderUpload({ onSuccess, concurrency: 1, multiple: true })
    await userEvent.upload(input, [text('a.txt'), text('b.txt'), text('c.txt')])
    await waitFor(() => expect(calls).toHaveLength(3))
  })

  it('works under StrictMode: one request per file, one onSuccess', async () => {
    const onSuccess = vi.fn()
    render(
      <StrictMode>
        <IKContext {...context}>
          <IKUpload data-testid="upload" onSuccess={onSuccess} />
        </IKContext>
      </StrictMode>,
    )
    await userEvent.upload(screen.getByTestId('upload'), text())
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1))
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)))
    expect(onSuccess).toHaveBeenCalledTimes(1)
    expect(mock.requests).toHaveLength(1)
  })

  it('takes the config and queue options as props too, over the context', async () => {
    const onError = vi.fn()
    const onSuccess = vi.fn()
    vi.stubGlobal('createImageBitmap', async () => ({ width: 10, height: 10, close() {} }))
    const { input } = renderUpload(
      {
        onError,
        onSuccess,
        multiple: true,
        publicKey: DEV_PUBLIC_KEY,
        uploadEndpoint: UPLOAD,
        authenticationEndpoint: DEV_AUTH_ENDPOINT,
        maxFiles: 3,
        checkImage: imageDimensions({ minWidth: 100 }),
        retries: 0,
        concurrency: 1,
      },
      { publicKey: 'public_wrong', uploadEndpoint: 'https://nowhere.test/upload' },
    )
    mock.failNext(1, 503)
    await userEvent.upload(input, [
      text('a.txt'),
      new File(['x'], 'small.png', { type: 'image/png' }),
      text('b.txt'),
      text('c.txt'),
    ])
    await waitFor(() => expect(onError).toHaveBeenCalledTimes(3))
    vi.unstubAllGlobals()
    const codes = onError.mock.calls.map(
      ([error, item]) => `${item.file.name}:${item.rejection?.code ?? error.code}`,
    )
    // maxFiles (checked as files are added) takes the first three; small.png is then refused for
    // its width; a.txt gets the one injected 503 and, with retries: 0, is not retried; b.txt uploads.
    expect(codes.sort()).toEqual(['a.txt:server', 'c.txt:too-many-files', 'small.png:image-too-small'])
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1))
    expect(mock.requests.map((request) => request.fields.publicKey)).toEqual([DEV_PUBLIC_KEY, DEV_PUBLIC_KEY])
  })

  it('fails with a timeout error when the server does not answer within `timeout`', async () => {
    mock.failNext(1, 'hang')
    const onError = vi.fn()
    const { input } = renderUpload({ onError, timeout: 50, retries: 0 })
    await userEvent.upload(input, text())
    await waitFor(() => expect(onError).toHaveBeenCalledTimes(1))
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'timeout' })
  })

  it('throws an error that says what to wrap when used outside IKContext', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<IKUpload />)).toThrow(/Wrap IKUpload, IKDropzone and useUpload in <IKContext/)
  })

  it('lets a nested IKContext override some options and inherit the rest', async () => {
    const onSuccess = vi.fn()
    render(<IKUpload data-testid="upload" onSuccess={onSuccess} />, { wrapper: NestedContexts })
    await userEvent.upload(screen.getByTestId('upload'), text())
    await waitFor(() => expect(onSuccess).toHaveBeenCalled())
    expect(mock.requests[0]?.fields).toMatchObject({ folder: '/inner', tags: 'a' })
  })
})
