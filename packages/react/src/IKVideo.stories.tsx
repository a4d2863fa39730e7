import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor } from 'storybook/test'
import { IKVideo } from './IKVideo'
import { SAMPLE_VIDEO } from './stories/deliverySamples'
import { htmlAttribute } from './stories/htmlAttribute'
import { URL_ENDPOINT } from './stories/mockApi'
import { fakeSigner, sourceArgTypes } from './stories/sourceArgTypes'

const VIDEO = 'Video'

/**
 * `IKVideo` over the mock's delivery. The mock has no video encoder, so its clip is a stand-in the
 * browser cannot play: the poster (served where ImageKit serves `ik-thumbnail.jpg`) is what shows.
 * With the local server or ImageKit, the same props play the file.
 */
const meta = {
  title: 'Components/IKVideo',
  component: IKVideo,
  argTypes: {
    ...sourceArgTypes,
    poster: { control: 'object', table: { category: VIDEO } },
    controls: htmlAttribute('<video>', 'boolean', VIDEO),
    muted: htmlAttribute('<video>', 'boolean', VIDEO),
    loop: htmlAttribute('<video>', 'boolean', VIDEO),
    autoPlay: htmlAttribute('<video>', 'boolean', VIDEO),
    preload: htmlAttribute('<video>', 'inline-radio', VIDEO, { options: ['none', 'metadata', 'auto'] }),
    width: htmlAttribute('<video>', 'number', VIDEO),
    'aria-label': htmlAttribute('<video>', 'text', VIDEO),
  },
  args: {
    src: SAMPLE_VIDEO,
    poster: true,
    controls: true,
    preload: 'none',
    width: 480,
    'aria-label': 'Sample clip',
  } as Meta<typeof IKVideo>['args'],
} satisfies Meta<typeof IKVideo>

export default meta
type Story = StoryObj<typeof meta>

const video = (canvas: { getByLabelText(text: string): HTMLElement }) => canvas.getByLabelText('Sample clip')

/** The video's first frame as the poster: `<video path>/ik-thumbnail.jpg`. */
export const Playground: Story = {
  play: async ({ canvas }) => {
    await expect(video(canvas)).toHaveAttribute('src', `${URL_ENDPOINT}${SAMPLE_VIDEO}`)
    await expect(video(canvas)).toHaveAttribute('poster', `${URL_ENDPOINT}${SAMPLE_VIDEO}/ik-thumbnail.jpg`)
  },
}

/** Transformations of the video (`tr:` in the path here) and of its poster (the frame at 2 s, 480 wide). */
export const Transformed: Story = {
  args: {
    transformation: [{ width: 480 }, { quality: 60 }],
    transformationPosition: 'path',
    poster: [{ startOffset: 2, width: 480 }],
  },
  play: async ({ canvas }) => {
    await expect(video(canvas)).toHaveAttribute('src', `${URL_ENDPOINT}/tr:w-480:q-60${SAMPLE_VIDEO}`)
    await expect(video(canvas)).toHaveAttribute(
      'poster',
      `${URL_ENDPOINT}/tr:so-2,w-480${SAMPLE_VIDEO}/ik-thumbnail.jpg`,
    )
  },
}

/** Children pass through: captions, or your own `<source>` elements. */
export const WithCaptions: Story = {
  args: {
    children: <track kind="captions" srcLang="en" label="English" src="data:text/vtt,WEBVTT" />,
  },
  play: async ({ canvas }) => {
    await expect(video(canvas).querySelector('track')).toHaveAttribute('label', 'English')
  },
}

/** A signer (your backend, for private files): the video and its poster are signed before they load. */
export const SignedUrls: Story = {
  args: { signedUrl: fakeSigner },
  play: async ({ canvas }) => {
    await waitFor(() =>
      expect(video(canvas)).toHaveAttribute('src', `${URL_ENDPOINT}${SAMPLE_VIDEO}?ik-s=storybook`),
    )
    await expect(video(canvas)).toHaveAttribute(
      'poster',
      `${URL_ENDPOINT}${SAMPLE_VIDEO}/ik-thumbnail.jpg?ik-s=storybook`,
    )
  },
}
