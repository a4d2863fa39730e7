import type { Meta, StoryObj } from '@storybook/react-vite'
import { useId, useRef, useState } from 'react'
import { expect, fn, waitFor } from 'storybook/test'
import { IKUpload, type IKUploadElement, type IKUploadProps } from './IKUpload'
import { pngFile, textFile } from './stories/files'
import { htmlAttribute } from './stories/htmlAttribute'
import { mock, URL_ENDPOINT } from './stories/mockApi'
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
    multiple: htmlAttribute('<input type="file">', 'boolean', 'Input'),
    disabled: htmlAttribute('<input type="file">', 'boolean', 'Input'),
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
    await expect(
      await canvas.findByText('Failed: notes.txt is text/plain; allowed types: image/*.'),
    ).toBeInTheDocument()
    // The client refuses it saying both sizes (sizes round up, limits down: they never read equal).
    await expect(
      await canvas.findByText('Failed: large.png is 2 KB; the limit is 1000 B.'),
    ).toBeInTheDocument()
    await user.upload(input, pngFile('small.png'))
    await expect(await canvas.findByText(/^Uploaded small_/)).toBeInTheDocument()
    await expect(args.onError).toHaveBeenCalledTimes(2)
    await expect(args.onUploadStart).toHaveBeenCalledOnce()
  },
}

/** A cancel button beside the input: the ref is the `<input>` with `abort()` added. */
function IKUploadWithCancel(props: IKUploadProps) {
  const ref = useRef<IKUploadElement>(null)
  const [status, setStatus] = useState('Nothing uploading')
  const [uploading, setUploading] = useState(false)
  const inputId = useId()
  return (
    <div style={{ display: 'grid', gap: 12, fontFamily: 'system-ui, sans-serif' }}>
      <div>
        <label htmlFor={inputId}>Upload a file</label>{' '}
        <IKUpload
          {...props}
          ref={ref}
          id={inputId}
          onUploadStart={(file, item) => {
            props.onUploadStart?.(file, item)
            setUploading(true)
            setStatus(`Uploading ${file.name}…`)
          }}
          onSuccess={(result, item) => {
            props.onSuccess?.(result, item)
            setUploading(false)
            setStatus(`Uploaded ${result.name}`)
          }}
        />{' '}
        <button
          type="button"
          disabled={!uploading}
          onClick={() => {
            // Aborted items call no callback: the app says so itself.
            ref.current?.abort()
            setUploading(false)
            setStatus('Upload cancelled')
          }}
        >
          Cancel upload
        </button>
      </div>
      <p role="status">{status}</p>
    </div>
  )
}

/** `ref.current.abort()` stops every unfinished upload of the input; no success, no error follows. */
export const CancelWithTheRef: Story = {
  render: (args) => <IKUploadWithCancel {...args} />,
  play: async ({ args, canvas, userEvent }) => {
    // The mock holds the upload request, so it is still in flight when Cancel is pressed.
    mock.pause()
    await userEvent.upload(canvas.getByLabelText('Upload a file'), pngFile('held.png'))
    await waitFor(() => expect(mock.requests).toHaveLength(1))
    await userEvent.click(canvas.getByRole('button', { name: 'Cancel upload' }))
    await expect(canvas.getByRole('status')).toHaveTextContent('Upload cancelled')
    mock.resume()
    // A later file uploads: by then the held request has had its answer, which nothing took.
    await userEvent.upload(canvas.getByLabelText('Upload a file'), pngFile('after.png'))
    await expect(await canvas.findByText(/^Uploaded after_[\w-]{9}\.png$/)).toBeInTheDocument()
    await expect(args.onSuccess).toHaveBeenCalledOnce()
    await expect(args.onError).not.toHaveBeenCalled()
  },
}

/** The app's own `onChange`: a pick holding a file that is not an image is refused whole, and said so. */
function IKUploadThatVetsPicks(props: IKUploadProps) {
  const [note, setNote] = useState('')
  return (
    <div style={{ fontFamily: 'system-ui, sans-serif' }}>
      <IKUploadWithLog
        {...props}
        onChange={(event) => {
          props.onChange?.(event)
          const other = [...(event.target.files ?? [])].find((file) => !file.type.startsWith('image/'))
          setNote(other ? `Nothing uploaded: ${other.name} is not an image.` : '')
          if (other) event.preventDefault()
        }}
      />
      <p role="alert">{note}</p>
    </div>
  )
}

/**
 * `onChange` runs before the upload: the app looks at the picked files, and `preventDefault()`
 * keeps them from uploading (to refuse them, or to handle them itself). Here a pick is taken whole
 * or not at all.
 */
export const RefuseInOnChange: Story = {
  args: { multiple: true, onChange: fn() },
  render: (args) => <IKUploadThatVetsPicks {...args} />,
  play: async ({ args, canvas, userEvent }) => {
    const input = canvas.getByLabelText('Upload a file')
    await userEvent.upload(input, [pngFile('ok.png'), textFile('notes.txt')])
    await expect(canvas.getByRole('alert')).toHaveTextContent('Nothing uploaded: notes.txt is not an image.')
    await expect(args.onChange).toHaveBeenCalledOnce()
    await expect(args.onUploadStart).not.toHaveBeenCalled()
    await expect(mock.requests).toHaveLength(0)
    await userEvent.upload(input, [pngFile('one.png'), pngFile('two.png', 'coral')])
    await expect(await canvas.findByText(/^Uploaded two_/)).toBeInTheDocument()
    await expect(await canvas.findByText(/^Uploaded one_/)).toBeInTheDocument()
    await expect(canvas.getByRole('alert')).toBeEmptyDOMElement()
  },
}
