import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { pngFile, textFile } from './files'
import { ProgressList } from './ProgressList'
import { callbackArgs, uploadArgTypes } from './uploadArgTypes'

const meta = {
  title: 'Custom UIs/Progress list',
  component: ProgressList,
  argTypes: uploadArgTypes,
  args: callbackArgs(),
} satisfies Meta<typeof ProgressList>

export default meta
type Story = StoryObj<typeof meta>

/** Several files upload side by side; each row ends with where its file went, the total at 100%. */
export const Default: Story = {
  play: async ({ args, canvas, userEvent }) => {
    const files = [pngFile('teal.png'), pngFile('coral.png', 'coral'), textFile('notes.txt', 2048)]
    await userEvent.upload(canvas.getByLabelText('Choose files'), files)
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Done'))
    for (const name of ['teal', 'coral', 'notes'])
      await expect(
        canvas.getByRole('listitem', { name: `${name}.${name === 'notes' ? 'txt' : 'png'}` }),
      ).toHaveTextContent(new RegExp(`Uploaded as /${name}_[\\w-]{9}\\.`))
    await expect(canvas.getByText('100%')).toBeInTheDocument()
    await expect(args.onSuccess).toHaveBeenCalledTimes(3)
  },
}

/** Finished rows can be removed one by one, or all at once. */
export const RemoveAndClear: Story = {
  play: async ({ canvas, userEvent }) => {
    await userEvent.upload(canvas.getByLabelText('Choose files'), [pngFile('keep.png'), pngFile('drop.png')])
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Done'))
    await userEvent.click(canvas.getByRole('button', { name: 'Remove drop.png' }))
    const list = within(canvas.getByRole('list', { name: 'Files' }))
    await waitFor(() => expect(list.queryByRole('listitem', { name: 'drop.png' })).not.toBeInTheDocument())
    await expect(list.getByRole('listitem', { name: 'keep.png' })).toBeInTheDocument()
    await userEvent.click(canvas.getByRole('button', { name: 'Clear all' }))
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('No files yet'))
    await expect(list.queryAllByRole('listitem')).toHaveLength(0)
  },
}
