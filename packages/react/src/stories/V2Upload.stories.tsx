import { V2_AUTH_REFUSED, type V2Authorize } from '@ik-upload/core/protocol'
import { IKUpload, type IKUploadProps, signV2, type UploadResponse } from '@ik-upload/react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useId, useState } from 'react'
import { expect, waitFor } from 'storybook/test'
import { pngFile } from './files'
import { AUTH_V2_ENDPOINT, mock, UPLOAD_V2_ENDPOINT, URL_ENDPOINT, v2Backend } from './mockApi'
import { callbackArgs, uploadArgTypes } from './uploadArgTypes'

/** The folder the mock backend signs for every v2 upload: the signed-in user's, in a real app. */
const USER_FOLDER = '/users/42'
/** The folder the page asks for, which the backend does not allow. */
const ASKED_FOLDER = '/anywhere'

/** The backend's rule: every upload goes into the user's folder, whatever the page asked. */
const forceUserFolder: V2Authorize = (_request, fields) => ({ ...fields, folder: USER_FOLDER })

/** An `IKUpload` with v2 signing, and what came back: where the file is and the fields the backend signed. */
function V2UploadWithFields(props: IKUploadProps) {
  const [done, setDone] = useState<{ result: UploadResponse; fields: Record<string, string> }>()
  const [failure, setFailure] = useState<string>()
  const inputId = useId()
  return (
    <div style={{ display: 'grid', gap: 12, fontFamily: 'system-ui, sans-serif' }}>
      <div>
        <label htmlFor={inputId}>Upload a file</label>{' '}
        <IKUpload
          {...props}
          id={inputId}
          onUploadStart={(file, item) => {
            props.onUploadStart?.(file, item)
            setDone(undefined)
            setFailure(undefined)
          }}
          onSuccess={(result, item) => {
            props.onSuccess?.(result, item)
            setDone({ result, fields: item.fields ?? {} })
          }}
          onError={(error, item) => {
            props.onError?.(error, item)
            setFailure(error.message)
          }}
        />
      </div>
      <p role="status" style={{ margin: 0 }}>
        {done
          ? `Stored at ${done.result.filePath}`
          : failure
            ? `Not uploaded: ${failure}`
            : `The page asks for folder ${props.folder ?? '/'}`}
      </p>
      {done && (
        <table aria-label="Fields signed and sent" style={{ borderCollapse: 'collapse', fontSize: 14 }}>
          <tbody>
            {Object.entries(done.fields).map(([name, value]) => (
              <tr key={name}>
                <th scope="row" style={{ textAlign: 'left', paddingRight: 16 }}>
                  {name}
                </th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

const meta = {
  title: 'Custom UIs/v2: backend forces a folder',
  component: IKUpload,
  render: (args) => <V2UploadWithFields {...args} />,
  argTypes: {
    ...uploadArgTypes,
    // A function chosen by import, not typed: the story sets it to signV2.
    signer: { control: false, table: { category: 'Where to upload' } },
  },
  args: {
    ...callbackArgs(),
    signer: signV2,
    authenticationEndpoint: AUTH_V2_ENDPOINT,
    uploadEndpoint: UPLOAD_V2_ENDPOINT,
    folder: ASKED_FOLDER,
  },
  parameters: {
    docs: {
      description: {
        component:
          'With `signer={signV2}` the page sends the upload fields to the backend first; the backend ' +
          'approves them, may rewrite them, and signs what it approved into one token. Here the mock ' +
          `backend (msw's \`authorizeV2\`) puts every file into \`${USER_FOLDER}\`, so a page cannot ` +
          'upload into another folder; `item.fields` shows what was really sent.',
      },
    },
  },
  // The mock's v2 backend follows this file's rule while its stories run, then signs as sent again.
  beforeEach: () => {
    v2Backend.authorize = forceUserFolder
    return () => {
      v2Backend.authorize = undefined
    }
  },
} satisfies Meta<typeof IKUpload>

export default meta
type Story = StoryObj<typeof meta>

/** The page asks for /anywhere; the backend signs /users/42, and that is where the file is stored. */
export const BackendForcesFolder: Story = {
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.upload(canvas.getByLabelText('Upload a file'), pngFile('photo.png'))
    await waitFor(() =>
      expect(canvas.getByRole('status')).toHaveTextContent(/^Stored at \/users\/42\/photo_[\w-]{9}\.png$/),
    )
    // The page asked for its folder; the backend signed its own; the upload sent the backend's.
    await expect(mock.authV2Requests.map((request) => request.fields?.folder)).toEqual([ASKED_FOLDER])
    const [sent] = mock.requests
    await expect(sent).toMatchObject({ version: 'v2', status: 200 })
    await expect(sent?.fields.folder).toBe(USER_FOLDER)
    await expect(Object.keys(sent?.fields ?? {})).not.toContain('publicKey')
    await expect(args.onSuccess).toHaveBeenCalledWith(
      expect.objectContaining({
        filePath: expect.stringMatching(/^\/users\/42\/photo_/),
        url: expect.stringMatching(`^${URL_ENDPOINT}/users/42/photo_`),
      }),
      expect.objectContaining({ fields: expect.objectContaining({ folder: USER_FOLDER }) }),
    )
    // The stored file is in the backend's folder, and nothing in the one the page asked for.
    await expect([...mock.files.keys()]).toEqual([expect.stringMatching(/^\/users\/42\/photo_/)])
    const folder = canvas.getByRole('rowheader', { name: 'folder' }).closest('tr')
    await expect(folder).toHaveTextContent(`folder${USER_FOLDER}`)
    await expect(args.onError).not.toHaveBeenCalled()
  },
}

/** A backend that refuses the fields: nothing is uploaded, and the page shows the backend's message. */
export const BackendRefuses: Story = {
  beforeEach: () => {
    v2Backend.authorize = () => false
  },
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.upload(canvas.getByLabelText('Upload a file'), pngFile('photo.png'))
    await waitFor(() =>
      expect(canvas.getByRole('status')).toHaveTextContent(`Not uploaded: ${V2_AUTH_REFUSED}`),
    )
    await expect(args.onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'auth', status: 403 }),
      expect.anything(),
    )
    await expect(mock.requests).toEqual([])
  },
}
