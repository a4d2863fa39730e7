import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor } from 'storybook/test'
import { AvatarUploader } from './AvatarUploader'
import { pngFile } from './files'
import { URL_ENDPOINT } from './mockApi'
import { callbackArgs, uploadArgTypes } from './uploadArgTypes'

const meta = {
  title: 'Custom UIs/Avatar uploader',
  component: AvatarUploader,
  argTypes: uploadArgTypes,
  args: callbackArgs(),
} satisfies Meta<typeof AvatarUploader>

export default meta
type Story = StoryObj<typeof meta>

/** Pick a picture: it is saved under /avatars and the delivered, resized image replaces the preview. */
export const Default: Story = {
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.upload(canvas.getByLabelText('Change avatar'), pngFile('me.png', 'coral'))
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Avatar saved'))
    await expect(canvas.getByRole('img', { name: 'Your avatar' })).toHaveAttribute(
      'src',
      expect.stringMatching(`^${URL_ENDPOINT}/avatars/me_[\\w-]{9}\\.png\\?tr=w-128,h-128$`),
    )
    await expect(args.onSuccess).toHaveBeenCalledOnce()
  },
}

/** A second pick replaces the first: one avatar, one item. */
export const ReplaceAvatar: Story = {
  play: async ({ canvas, userEvent }) => {
    const input = canvas.getByLabelText('Change avatar')
    await userEvent.upload(input, pngFile('old.png'))
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Avatar saved'))
    await userEvent.upload(input, pngFile('new.png', 'indigo'))
    await waitFor(() =>
      expect(canvas.getByRole('img', { name: 'Your avatar' })).toHaveAttribute(
        'src',
        expect.stringContaining('/avatars/new_'),
      ),
    )
  },
}

/** Only images are taken: anything else is refused with the reason, before upload. */
export const NotAnImage: Story = {
  play: async ({ canvas, userEvent }) => {
    const user = userEvent.setup({ applyAccept: false })
    await user.upload(
      canvas.getByLabelText('Change avatar'),
      new File(['%PDF'], 'cv.pdf', { type: 'application/pdf' }),
    )
    await waitFor(() =>
      expect(canvas.getByRole('status')).toHaveTextContent(
        'Not saved: cv.pdf is application/pdf; allowed types: image/*.',
      ),
    )
  },
}
