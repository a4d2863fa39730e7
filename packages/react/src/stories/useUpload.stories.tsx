import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor } from 'storybook/test'
import { pngFile } from './files'
import { UseUploadDocsPage } from './hookDocs'
import { UploadStatus } from './UploadStatus'
import { callbackArgs, uploadArgTypes } from './uploadArgTypes'

const meta = {
  title: 'Hooks/useUpload',
  component: UploadStatus,
  argTypes: uploadArgTypes,
  args: callbackArgs(),
  parameters: {
    docs: {
      page: UseUploadDocsPage,
      description: {
        component:
          '`const upload = useUpload(options)`: uploads files and renders their progress, for a UI of your own. ' +
          'Its options are every uploader option, over those of the nearest `IKContext` (the table below); ' +
          'it returns the items, the aggregate progress, results, errors and the actions (the second table). ' +
          'The story is the least UI over it: an input and a line of state. ' +
          'Fuller ones are under Custom UIs.',
      },
    },
  },
} satisfies Meta<typeof UploadStatus>

export default meta
type Story = StoryObj<typeof meta>

/** Files given to `upload()` go through the queue; the state says how many uploaded, then where. */
export const Basic: Story = {
  args: { folder: '/hooks' },
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.upload(canvas.getByLabelText('Choose files'), [
      pngFile('a.png'),
      pngFile('b.png', 'coral'),
    ])
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('2 uploaded, 0 failed'))
    await expect(canvas.getByRole('list', { name: 'Uploaded files' })).toHaveTextContent(/^\/hooks\/a_/)
    await expect(args.onSuccess).toHaveBeenCalledTimes(2)
  },
}
