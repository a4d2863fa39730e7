import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fireEvent, waitFor } from 'storybook/test'
import { IKDropzone } from './IKDropzone'
import { dragEvent, pasteEvent, pngFile, textFile } from './stories/files'
import { htmlAttribute } from './stories/htmlAttribute'
import { callbackArgs, uploadArgTypes } from './stories/uploadArgTypes'
import type { UseDropzoneResult } from './useDropzone'

/** What the zone shows under its button: one line per file, and the zone's status. */
const fileList = ({ items, status }: UseDropzoneResult) => (
  <>
    <p>Drop files here, paste them, or use the button. Status: {status}</p>
    <ul aria-label="Files">
      {items.map((item) => (
        <li key={item.id}>
          {item.file.name}: {item.status}
          {item.result ? ` as ${item.result.filePath}` : ''}
          {item.error ? ` (${item.error.message})` : ''}
        </li>
      ))}
    </ul>
  </>
)

const meta = {
  title: 'Components/IKDropzone',
  component: IKDropzone,
  argTypes: {
    ...uploadArgTypes,
    label: { control: 'text', table: { category: 'Zone' } },
    multiple: { control: 'boolean', table: { category: 'Zone' } },
    disabled: { control: 'boolean', table: { category: 'Zone' } },
    children: { control: false, table: { category: 'Zone' } },
    role: htmlAttribute('<div>', 'text', 'Zone'),
    'aria-label': htmlAttribute('<div>', 'text', 'Zone'),
    style: htmlAttribute('<div>', 'object', 'Zone'),
  },
  args: {
    ...callbackArgs(),
    // A name needs a role: ARIA allows no aria-label on a plain <div> (axe: aria-prohibited-attr).
    role: 'group',
    'aria-label': 'Upload zone',
    children: fileList,
    style: {
      border: '2px dashed #889',
      borderRadius: 12,
      padding: 24,
      fontFamily: 'system-ui, sans-serif',
      maxWidth: 480,
    },
  },
} satisfies Meta<typeof IKDropzone>

export default meta
type Story = StoryObj<typeof meta>

const zoneOf = (canvasElement: HTMLElement) =>
  canvasElement.querySelector('[aria-label="Upload zone"]') as HTMLElement

/** Files picked through the zone's real button upload, and the live region says how it went. */
export const Default: Story = {
  play: async ({ args, canvas, canvasElement, userEvent }) => {
    // The input is hidden from the accessibility tree (the button is what users reach).
    const input = canvasElement.querySelector('input[type=file]') as HTMLInputElement
    await userEvent.upload(input, [pngFile('one.png'), pngFile('two.png', 'coral')])
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('2 files uploaded.'))
    await expect(zoneOf(canvasElement)).toHaveAttribute('data-status', 'success')
    await expect(canvas.getByText(/^one\.png: success as \/one_/)).toBeInTheDocument()
    await expect(args.onSuccess).toHaveBeenCalledTimes(2)
  },
}

/** Dragging over the zone marks it (`data-drop-target`); dropped files upload. */
export const DropFiles: Story = {
  args: { label: 'Or pick files' },
  play: async ({ canvas, canvasElement }) => {
    const zone = zoneOf(canvasElement)
    const files = [pngFile('dropped.png', 'indigo')]
    await fireEvent(zone, dragEvent('dragenter', files))
    await waitFor(() => expect(zone).toHaveAttribute('data-drop-target', 'true'))
    await fireEvent(zone, dragEvent('drop', files))
    await waitFor(() => expect(zone).not.toHaveAttribute('data-drop-target'))
    await expect(await canvas.findByText(/^dropped\.png: success/)).toBeInTheDocument()
  },
}

/** Files pasted into the focused zone upload too. */
export const PasteFiles: Story = {
  play: async ({ canvas, canvasElement }) => {
    await fireEvent(zoneOf(canvasElement), pasteEvent([pngFile('pasted.png')]))
    await expect(await canvas.findByText(/^pasted\.png: success/)).toBeInTheDocument()
  },
}

/** With `multiple: false`, only the first of several dropped files is taken. */
export const SingleFile: Story = {
  args: { multiple: false, label: 'Choose a file' },
  play: async ({ canvas, canvasElement }) => {
    const files = [pngFile('first.png'), pngFile('second.png', 'coral')]
    await fireEvent(zoneOf(canvasElement), dragEvent('drop', files))
    await expect(await canvas.findByText(/^first\.png: success/)).toBeInTheDocument()
    await expect(canvas.queryByText(/^second\.png/)).not.toBeInTheDocument()
  },
}

/** A restriction refuses a file before sending it; the zone turns to `error` and says why. */
export const RefusedFile: Story = {
  args: { accept: 'image/*' },
  play: async ({ args, canvas, canvasElement }) => {
    await fireEvent(zoneOf(canvasElement), dragEvent('drop', [textFile('notes.txt')]))
    await expect(
      await canvas.findByText('notes.txt: error (notes.txt is text/plain; allowed types: image/*.)'),
    ).toBeInTheDocument()
    await expect(zoneOf(canvasElement)).toHaveAttribute('data-status', 'error')
    await waitFor(() =>
      expect(canvas.getByRole('status')).toHaveTextContent(
        '1 file failed: notes.txt is text/plain; allowed types: image/*.',
      ),
    )
    await expect(args.onError).toHaveBeenCalledOnce()
  },
}

/** A disabled zone ignores drops and disables its button. */
export const Disabled: Story = {
  args: { disabled: true },
  play: async ({ args, canvas, canvasElement }) => {
    await expect(canvas.getByRole('button', { name: 'Choose files' })).toBeDisabled()
    await expect(zoneOf(canvasElement)).toHaveAttribute('data-disabled', 'true')
    await fireEvent(zoneOf(canvasElement), dragEvent('drop', [pngFile('ignored.png')]))
    // A file wrongly taken would be listed after React's next render: give it that time. (A slow
    // machine can only make this check miss a bug, never fail a correct zone.)
    await new Promise((resolve) => setTimeout(resolve, 100))
    await expect(canvas.getByRole('list', { name: 'Files' })).toBeEmptyDOMElement()
    await expect(args.onUploadStart).not.toHaveBeenCalled()
  },
}
