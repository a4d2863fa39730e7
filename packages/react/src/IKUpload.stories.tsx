import { FILE_TOO_LARGE } from '@ik-upload/core/protocol'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useId, useState } from 'react'
import { expect } from 'storybook/test'
import { IKUpload, type IKUploadProps } from './IKUpload'
import { pngFile, textFile } from './stories/files'
import { URL_ENDPOINT } from './stories/mockApi'
import { callbackArgs, uploadArgTypes } from './stories/uploadArgTypes'

/** IKUpload renders only an input: the story adds a log of its callbacks, so the outcome shows. */
function IKUploadWithLog(props: IKUploadProps) {
  const [log, setLog] = useState<{ id: number; line: string }[]>([])
  const note = (line: string) => setLog((lines) => [...lines, { id: lines.length, line }])
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
            note(`Uploading ${file.name}`)
          }}
          onSuccess={(result, item) => {
            props.onSuccess?.(result, item)
            note(`Uploaded ${result.name} to ${result.filePath}`)
          }}
          onError={(error, item) => {
            props.onError?.(error, item)
            note(`Failed: ${error.message}`)
          }}
        />
      </div>
      <ol aria-label="Upload log">
        {log.map(({ id, line }) => (
          <li key={id}>{line}</li>
        ))}
      </ol>
    </div>
  )
}

const meta = {
  title: 'Components/IKUpload',
  component: IKUpload,
  render: (args) => <IKUploadWithLog {...args} />,
  argTypes: {
    ...uploadArgTypes,
    multiple: { control: 'boolean', table: { category: 'Input' } },
    disabled: { control: 'boolean', table: { category: 'Input' } },
  },
  args: callbackArgs(),
} satisfies Meta<typeof IKUpload>

export default meta
type Story = StoryObj<typeof meta>

/** Pick a file: it is signed through the auth endpoint and uploaded to the mock upload API. */
export const Playground: Story = {
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.upload(canvas.getByLabelText('Upload a file'), pngFile('photo.png'))
    // The server adds a unique suffix of 9 characters before the extension.
    await expect(await canvas.findByText(/^Uploaded photo_[\w-]{9}\.png to \/photo_/)).toBeInTheDocument()
    await expect(args.onUploadStart).toHaveBeenCalledOnce()
    await expect(args.onSuccess).toHaveBeenCalledWith(
      expect.objectContaining({ fileType: 'image', url: expect.stringMatching(`^${URL_ENDPOINT}/photo_`) }),
      expect.objectContaining({ status: 'success' }),
    )
    await expect(args.onError).not.toHaveBeenCalled()
  },
}

/** Upload fields reach the server: a folder, a fixed name, tags, and extra response fields. */
export const WithUploadOptions: Story = {
  args: {
    folder: '/avatars/team',
    fileName: 'ada.png',
    useUniqueFileName: false,
    tags: ['team', 'avatar'],
    responseFields: ['tags', 'isPrivateFile'],
  },
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.upload(canvas.getByLabelText('Upload a file'), pngFile('photo.png'))
    await expect(await canvas.findByText('Uploaded ada.png to /avatars/team/ada.png')).toBeInTheDocument()
    await expect(args.onSuccess).toHaveBeenCalledWith(
      expect.objectContaining({ tags: ['team', 'avatar'], isPrivateFile: false }),
      expect.anything(),
    )
  },
}

/** `accept` and `maxFileSize` refuse files before a byte is sent; `onError` gets the reason. */
export const Restrictions: Story = {
  args: { accept: 'image/*', maxFileSize: 1000, multiple: true },
  play: async ({ args, canvas, userEvent }) => {
    const input = canvas.getByLabelText('Upload a file')
    // A drop, or a picker's "All files", bypasses the input's accept filter: so does this upload.
    const user = userEvent.setup({ applyAccept: false })
    const large = new File([new Uint8Array(2000)], 'large.png', { type: 'image/png' })
    await user.upload(input, [textFile('notes.txt'), large])
    await expect(await canvas.findByText('Failed: File type is not image/*.')).toBeInTheDocument()
    // The client refuses it with the upload API's own message for the same case.
    await expect(await canvas.findByText(`Failed: ${FILE_TOO_LARGE}`)).toBeInTheDocument()
    await user.upload(input, pngFile('small.png'))
    await expect(await canvas.findByText(/^Uploaded small_/)).toBeInTheDocument()
    await expect(args.onError).toHaveBeenCalledTimes(2)
    await expect(args.onUploadStart).toHaveBeenCalledOnce()
  },
}
