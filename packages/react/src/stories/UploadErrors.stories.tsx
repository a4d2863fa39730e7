import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor } from 'storybook/test'
import { pngFile } from './files'
import { mock } from './mockApi'
import { ProgressList } from './ProgressList'
import { callbackArgs, uploadArgTypes } from './uploadArgTypes'

/**
 * How failures look and recover, on the progress list. Each story makes the mock API fail in one
 * way (`mock.failNext`, or a real refusal by the protocol's rules); the preview resets the mock
 * before every story.
 */
const meta = {
  title: 'Custom UIs/Error handling',
  component: ProgressList,
  argTypes: uploadArgTypes,
  args: callbackArgs(),
} satisfies Meta<typeof ProgressList>

export default meta
type Story = StoryObj<typeof meta>

/**
 * The app's auth endpoint answers 403 (a session that ran out, say): no upload is attempted and it is
 * not retried on its own (a 5xx or a network failure would be); Retry asks it again, and succeeds.
 */
export const AuthEndpointFails: Story = {
  beforeEach: () => mock.failNext(1, 403, 'auth'),
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.upload(canvas.getByLabelText('Choose files'), pngFile('photo.png'))
    await expect(await canvas.findByRole('alert')).toHaveTextContent(
      'The authentication endpoint answered HTTP 403, not the expected JSON',
    )
    await expect(args.onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'auth' }),
      expect.anything(),
    )
    // A 4xx from the auth endpoint is not retried on its own, and nothing reached the upload API.
    await expect(mock.requests).toHaveLength(0)
    await userEvent.click(canvas.getByRole('button', { name: 'Retry photo.png' }))
    await expect(await canvas.findByText(/^Uploaded as \/photo_/)).toBeInTheDocument()
  },
}

/** The upload API refuses the file with a 4xx: the server's own message is shown, and not retried. */
export const ServerRefusesFile: Story = {
  // The server judges `checks`: here, only JPEG and WebP may be uploaded, and this file is a PNG.
  args: { checks: '"file.mime" IN ["image/jpeg", "image/webp"]' },
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.upload(canvas.getByLabelText('Choose files'), pngFile('photo.png'))
    await expect(await canvas.findByRole('alert')).toHaveTextContent(
      "Your request failed 'checks' validation. (HTTP 400)",
    )
    await expect(args.onError).toHaveBeenCalledWith(
      expect.objectContaining({
        code: 'server',
        status: 400,
        help: expect.stringContaining('support@imagekit.io'),
      }),
      expect.anything(),
    )
    await expect(mock.requests).toHaveLength(1)
  },
}

/** The connection drops on the first attempt: the uploader retries with a fresh token and succeeds. */
export const NetworkFailureRetried: Story = {
  args: { retryDelay: 300 },
  beforeEach: () => mock.failNext(1, 'network'),
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.upload(canvas.getByLabelText('Choose files'), pngFile('photo.png'))
    await expect(
      await canvas.findByText(/^Uploaded as \/photo_[\w-]{9}\.png after 2 attempts$/),
    ).toBeInTheDocument()
    await expect(args.onError).not.toHaveBeenCalled()
    await expect(mock.requests.map((request) => request.status)).toEqual([0, 200])
    // A token is single use, even after a failed request: the retry was signed anew.
    const [first, second] = mock.authRequests.map((request) => request.params?.token)
    await expect(second).not.toBe(first)
  },
}

/** An upload that hangs is aborted by the user: no error is reported, and Retry uploads it again. */
export const Aborted: Story = {
  beforeEach: () => mock.failNext(1, 'hang'),
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.upload(canvas.getByLabelText('Choose files'), pngFile('photo.png'))
    await expect(await canvas.findByText(/^Uploading \d+%/)).toBeInTheDocument()
    await waitFor(() => expect(mock.requests).toHaveLength(1))
    await userEvent.click(canvas.getByRole('button', { name: 'Abort photo.png' }))
    await expect(await canvas.findByText('Aborted')).toBeInTheDocument()
    await expect(canvas.queryByRole('alert')).not.toBeInTheDocument()
    await expect(args.onError).not.toHaveBeenCalled()
    await userEvent.click(canvas.getByRole('button', { name: 'Retry photo.png' }))
    await expect(await canvas.findByText(/^Uploaded as \/photo_/)).toBeInTheDocument()
  },
}
