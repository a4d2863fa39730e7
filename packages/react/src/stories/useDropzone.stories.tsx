import type { UploadError, UploadItem } from '@ik-upload/react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fireEvent, type Mock, waitFor, within } from 'storybook/test'
import { DropzoneCard } from './DropzoneCard'
import { dragEvent, pasteEvent, pngFile, textFile } from './files'
import { UseDropzoneDocsPage } from './hookDocs'
import { callbackArgs, uploadArgTypes } from './uploadArgTypes'

const meta = {
  title: 'Hooks/useDropzone',
  component: DropzoneCard,
  argTypes: {
    ...uploadArgTypes,
    multiple: { control: 'boolean', table: { category: 'Zone' } },
    disabled: { control: 'boolean', table: { category: 'Zone' } },
  },
  args: callbackArgs(),
  parameters: {
    docs: {
      page: UseDropzoneDocsPage,
      description: {
        component:
          '`const zone = useDropzone(options)`: drag and drop, paste and a file picker behind a real button, ' +
          'feeding `useUpload`, for markup of your own: spread `getRootProps()`, `getInputProps()` and ' +
          "`getButtonProps()` on your elements (your handlers run first; `preventDefault()` skips the hook's). " +
          "The story is a card built that way; `IKDropzone` is the kit's own, over the same hook.",
      },
    },
  },
} satisfies Meta<typeof DropzoneCard>

export default meta
type Story = StoryObj<typeof meta>

const zoneOf = (canvasElement: HTMLElement) =>
  within(canvasElement).getByRole('group', { name: 'Photo drop area' })

/** Dragging over the card restyles it through `isDragging`; the dropped photos upload, with previews. */
export const CustomMarkup: Story = {
  play: async ({ args, canvas, canvasElement }) => {
    const zone = zoneOf(canvasElement)
    const files = [pngFile('beach.png'), pngFile('forest.png', 'indigo')]
    await fireEvent(zone, dragEvent('dragenter', files))
    await expect(await canvas.findByText('Release to add the photos')).toBeInTheDocument()
    await expect(zone).toHaveAttribute('data-drop-target', 'true')
    await fireEvent(zone, dragEvent('drop', files))
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('2 files uploaded.'))
    await expect(canvas.getByText('beach.png: Uploaded')).toBeInTheDocument()
    await expect(canvas.getByText('forest.png: Uploaded')).toBeInTheDocument()
    await expect(zone).toHaveAttribute('data-status', 'success')
    await expect(canvas.getByText('Drag photos here, paste them, or')).toBeInTheDocument()
    await expect(args.onSuccess).toHaveBeenCalledTimes(2)
  },
}

/** The button from `getButtonProps` is a real one; the hidden input it opens takes picked files. */
export const PickPasteAndRemove: Story = {
  play: async ({ canvas, canvasElement, userEvent }) => {
    const button = canvas.getByRole('button', { name: 'Browse photos' })
    await expect(button).toHaveAttribute('type', 'button')
    // The input is out of the accessibility tree: the button is what users reach.
    const input = canvasElement.querySelector('input[type=file]') as HTMLInputElement
    await expect(input).toHaveAttribute('aria-hidden', 'true')
    await userEvent.upload(input, pngFile('picked.png'))
    await expect(await canvas.findByText('picked.png: Uploaded')).toBeInTheDocument()
    await fireEvent(zoneOf(canvasElement), pasteEvent([pngFile('pasted.png', 'coral')]))
    await expect(await canvas.findByText('pasted.png: Uploaded')).toBeInTheDocument()
    await userEvent.click(canvas.getByRole('button', { name: 'Remove picked.png' }))
    await waitFor(() => expect(canvas.queryByText(/^picked\.png/)).not.toBeInTheDocument())
    await expect(canvas.getByRole('list', { name: 'Photos' }).children).toHaveLength(1)
  },
}

/** A file the options refuse shows its reason in its row; the zone's status turns to `error`. */
export const RefusedFile: Story = {
  play: async ({ args, canvas, canvasElement }) => {
    await fireEvent(zoneOf(canvasElement), dragEvent('drop', [textFile('notes.txt')]))
    await waitFor(() => expect(args.onError).toHaveBeenCalledOnce())
    const [error, item] = (args.onError as Mock).mock.calls[0] as [UploadError, UploadItem]
    await expect(error.code).toBe('validation')
    await expect(item.rejection?.code).toBe('file-invalid-type')
    // The row says what `onError` got, word for word.
    await expect(await canvas.findByText(`notes.txt: ${error.message}`)).toBeInTheDocument()
    await expect(zoneOf(canvasElement)).toHaveAttribute('data-status', 'error')
  },
}
