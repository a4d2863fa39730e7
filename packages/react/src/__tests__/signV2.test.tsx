import { signUploadJwt } from '@ik-upload/core/protocol'
import { DEV_PRIVATE_KEY, DEV_PUBLIC_KEY, uploadHandlers } from '@ik-upload/msw'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import type { ReactNode } from 'react'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { IKContext } from '../IKContext'
import { IKUpload } from '../IKUpload'
import { signV2, type UploadResponse } from '../index'
import { useUpload } from '../useUpload'

const UPLOAD_V2 = 'https://upload.ikupload.test/api/v2/files/upload'
const AUTH_V2 = 'https://app.ikupload.test/api/imagekit-auth/v2'
// The msw mock judges v2 uploads with the protocol's judge (token signature, payload = fields).
const mock = uploadHandlers({
  uploadEndpoint: UPLOAD_V2.replace('/v2/', '/v1/'),
  uploadV2Endpoint: UPLOAD_V2,
})

/** What the backend was asked to sign, per request. */
const asked: Record<string, string>[] = []

/**
 * A v2 auth endpoint (v2-design's exchange) whose authorize step forces each user's folder and a
 * tag, whatever the browser asked: the approved fields are what it signs and answers.
 */
const authV2 = http.post(AUTH_V2, async ({ request }) => {
  const { fields } = (await request.json()) as { fields: Record<string, string> }
  asked.push(fields)
  const approved = { ...fields, folder: '/users/42', tags: 'checked' }
  const token = await signUploadJwt({
    publicKey: DEV_PUBLIC_KEY,
    privateKey: DEV_PRIVATE_KEY,
    fields: approved,
  })
  return HttpResponse.json({ token, fields: approved })
})

const server = setupServer(authV2, ...mock.handlers)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  vi.restoreAllMocks()
  mock.reset()
  asked.length = 0
})
afterAll(() => server.close())

const photo = () => new File(['not really a png'], 'cat.png', { type: 'image/png' })

/** useUpload behind a plain file input, as an app writes it. */
function HookUpload(props: { onSuccess: (result: UploadResponse) => void }) {
  const { upload } = useUpload({ signer: signV2, onSuccess: props.onSuccess })
  return (
    <input data-testid="upload" type="file" onChange={(event) => upload(event.target.files as FileList)} />
  )
}

const cases: [string, (onSuccess: (result: UploadResponse) => void) => ReactNode][] = [
  [
    '<IKContext signer={signV2}><IKUpload/>',
    (onSuccess) => (
      <IKContext signer={signV2} authenticationEndpoint={AUTH_V2} uploadEndpoint={UPLOAD_V2} folder="/asked">
        <IKUpload data-testid="upload" onSuccess={onSuccess} />
      </IKContext>
    ),
  ],
  [
    '<IKUpload signer={signV2}/>',
    (onSuccess) => (
      <IKContext authenticationEndpoint={AUTH_V2} uploadEndpoint={UPLOAD_V2} folder="/asked">
        <IKUpload data-testid="upload" signer={signV2} onSuccess={onSuccess} />
      </IKContext>
    ),
  ],
  [
    'useUpload({ signer: signV2 })',
    (onSuccess) => (
      <IKContext authenticationEndpoint={AUTH_V2} uploadEndpoint={UPLOAD_V2} folder="/asked">
        <HookUpload onSuccess={onSuccess} />
      </IKContext>
    ),
  ],
]

describe('v2 signed uploads from React', () => {
  it.each(cases)('%s uploads through v2 and the file lands in the backend’s folder', async (_name, ui) => {
    const onSuccess = vi.fn()
    // The signer is an option, never a DOM attribute (React would warn about a function prop on <input>).
    const warn = vi.spyOn(console, 'error')
    render(ui(onSuccess))
    const input = screen.getByTestId('upload') as HTMLInputElement
    expect(input).not.toHaveAttribute('signer')
    expect(warn).not.toHaveBeenCalled()
    await userEvent.upload(input, photo())
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1))

    // The browser asked for /asked; the backend approved /users/42 and that is where the file is.
    expect(asked).toEqual([{ fileName: 'cat.png', folder: '/asked' }])
    const [result] = onSuccess.mock.calls[0] as [UploadResponse]
    expect(result.filePath).toMatch(/^\/users\/42\/cat_[\w-]+\.png$/)
    expect(mock.files.has(result.filePath)).toBe(true)

    const [request] = mock.requests
    expect(request?.version).toBe('v2')
    expect(request?.status).toBe(200)
    expect(request?.fields).toMatchObject({ fileName: 'cat.png', folder: '/users/42', tags: 'checked' })
    for (const v1Field of ['publicKey', 'signature', 'expire'])
      expect(request?.fields).not.toHaveProperty(v1Field)
    expect(request?.file?.name).toBe('cat.png')
  })
})
