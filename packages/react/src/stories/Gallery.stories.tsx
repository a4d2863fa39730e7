import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor } from 'storybook/test'
import { pngFile } from './files'
import { Gallery } from './Gallery'
import { URL_ENDPOINT } from './mockApi'
import { callbackArgs, uploadArgTypes } from './uploadArgTypes'

const meta = {
  title: 'Custom UIs/Gallery',
  component: Gallery,
  argTypes: uploadArgTypes,
  args: callbackArgs(),
} satisfies Meta<typeof Gallery>

export default meta
type Story = StoryObj<typeof meta>

/** Add pictures: each tile shows the server's thumbnail (`thumbnailUrl`) once uploaded. */
export const Default: Story = {
  play: async ({ args, canvas, userEvent }) => {
    const files = [pngFile('teal.png'), pngFile('coral.png', 'coral'), pngFile('indigo.png', 'indigo')]
    await userEvent.upload(canvas.getByLabelText('Add pictures'), files)
    await waitFor(() => expect(args.onSuccess).toHaveBeenCalledTimes(3))
    for (const { name } of files) {
      const stem = name.replace('.png', '')
      await waitFor(() =>
        expect(canvas.getByRole('img', { name })).toHaveAttribute(
          'src',
          expect.stringMatching(`^${URL_ENDPOINT}/tr:n-ik_ml_thumbnail/gallery/${stem}_[\\w-]{9}\\.png$`),
        ),
      )
    }
  },
}

/** Tags per file from `overrideParameters`: here, every picture is tagged with its type. */
export const TaggedPictures: Story = {
  args: {
    overrideParameters: (file: File) => ({ tags: ['gallery', file.type.split('/')[1] ?? 'file'] }),
    responseFields: ['tags'],
  },
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.upload(canvas.getByLabelText('Add pictures'), pngFile('tagged.png'))
    await waitFor(() =>
      expect(args.onSuccess).toHaveBeenCalledWith(
        expect.objectContaining({ tags: ['gallery', 'png'] }),
        expect.anything(),
      ),
    )
  },
}
