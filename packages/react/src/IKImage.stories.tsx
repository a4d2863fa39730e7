import { buildSrc } from '@ik-upload/core'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, fireEvent, waitFor } from 'storybook/test'
import { IKImage, type IKImageProps } from './IKImage'
import { IKUpload } from './IKUpload'
import type { UploadResponse } from './index'
import { SAMPLE_IMAGE } from './stories/deliverySamples'
import { pngFile } from './stories/files'
import { htmlAttribute } from './stories/htmlAttribute'
import { URL_ENDPOINT } from './stories/mockApi'
import { fakeSigner, sourceArgTypes } from './stories/sourceArgTypes'

const SIZING = 'Responsive sizing'
const LOADING = 'Loading'

/**
 * `IKImage` over the mock's delivery: a sample picture (an SVG, served the same whatever the
 * transformation, since the mock has no image codec; the local server renders them for real).
 * Every prop has a control; the URLs it builds show in the `src`/`srcset` of the rendered `<img>`.
 */
const meta = {
  title: 'Components/IKImage',
  component: IKImage,
  argTypes: {
    ...sourceArgTypes,
    responsive: { control: 'boolean', table: { category: SIZING } },
    // Attributes of the <img>, which `responsive` also reads to pick the candidates.
    width: htmlAttribute('<img>', 'number', SIZING),
    height: htmlAttribute('<img>', 'number', SIZING),
    sizes: htmlAttribute('<img>', 'text', SIZING),
    deviceBreakpoints: { control: 'object', table: { category: SIZING } },
    imageBreakpoints: { control: 'object', table: { category: SIZING } },
    loading: { control: 'inline-radio', options: ['lazy', 'eager'], table: { category: LOADING } },
    lqip: { control: 'object', table: { category: LOADING } },
    alt: htmlAttribute('<img>', 'text', 'Image'),
    style: htmlAttribute('<img>', 'object', 'Image'),
  },
  args: {
    src: SAMPLE_IMAGE,
    alt: 'Mountains at sunset',
    width: 400,
    style: { height: 'auto', maxWidth: '100%', borderRadius: 8 },
  },
} satisfies Meta<typeof IKImage>

export default meta
type Story = StoryObj<typeof meta>

const sample = (steps?: string) => `${URL_ENDPOINT}${SAMPLE_IMAGE}${steps ? `?tr=${steps}` : ''}`

/** A width of 400: a 1x and a 2x candidate, the nearest breakpoints at or above 400 and 800. */
export const Playground: Story = {
  play: async ({ canvas }) => {
    const img = canvas.getByRole('img', { name: 'Mountains at sunset' })
    await expect(img).toHaveAttribute('src', sample('w-828,c-at_max'))
    await expect(img).toHaveAttribute(
      'srcset',
      `${sample('w-640,c-at_max')} 1x, ${sample('w-828,c-at_max')} 2x`,
    )
    await expect(img).toHaveAttribute('loading', 'lazy')
  },
}

/** `sizes` says how wide the image is shown: `w` candidates from the breakpoints, none below 50vw of 640. */
export const WithSizes: Story = {
  args: { width: undefined, sizes: '(min-width: 900px) 50vw, 100vw', style: { width: '100%' } },
  play: async ({ canvas }) => {
    const img = canvas.getByRole('img')
    const widths = String(img.getAttribute('srcset'))
      .split(', ')
      .map((candidate) => Number.parseInt(candidate.split(' ')[1] ?? '', 10))
    await expect(widths).toEqual([384, 640, 750, 828, 1080, 1200, 1920, 2048, 3840])
    await expect(img).toHaveAttribute('sizes', '(min-width: 900px) 50vw, 100vw')
  },
}

/** Transformation steps, chained with `:`, before the width step; here in the path (`/tr:.../`). */
export const TransformationInThePath: Story = {
  args: {
    transformation: [{ height: 300, aspectRatio: '4-3', crop: 'maintain_ratio' }, { radius: 20 }],
    transformationPosition: 'path',
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('img')).toHaveAttribute(
      'src',
      `${URL_ENDPOINT}/tr:h-300,ar-4-3,c-maintain_ratio:r-20:w-828,c-at_max${SAMPLE_IMAGE}`,
    )
  },
}

/** `responsive={false}`: one URL with the transformation alone. */
export const NotResponsive: Story = {
  args: { responsive: false, transformation: [{ width: 400, quality: 70, format: 'webp' }] },
  play: async ({ canvas }) => {
    const img = canvas.getByRole('img')
    await expect(img).toHaveAttribute('src', sample('w-400,q-70,f-webp'))
    await expect(img).not.toHaveAttribute('srcset')
  },
}

/**
 * A tiny blurred version (`w-32,q-20,bl-6`) is the background until the image loads. The mock
 * answers at once, so it flashes by here; against a real server it shows while the image loads.
 */
export const LowQualityPlaceholder: Story = {
  args: { lqip: { active: true, quality: 20, blur: 6 }, height: 250, style: { width: 400, height: 250 } },
  play: async ({ canvas }) => {
    const img = canvas.getByRole('img') as HTMLImageElement
    // Before the load event (which happy-dom never fires, and a browser may have fired already).
    if (!img.complete || !img.naturalWidth)
      await expect(img.style.backgroundImage).toBe(`url("${sample('w-32,q-20,bl-6')}")`)
    fireEvent.load(img)
    await waitFor(() => expect(img.style.backgroundImage).toBe(''))
  },
}

/** A signer (your backend, for private files): nothing renders until it answered, then signed URLs. */
export const SignedUrls: Story = {
  args: { signedUrl: fakeSigner },
  play: async ({ canvas }) => {
    const img = canvas.getByRole('img')
    await waitFor(() => expect(img).toHaveAttribute('src', `${sample('w-828,c-at_max')}&ik-s=storybook`))
    await expect(img.getAttribute('srcset')).toContain(`${sample('w-640,c-at_max')}&ik-s=storybook 1x`)
  },
}

/** Uploads a picture, then shows the result with `IKImage` and the URL `buildSrc` makes of its `filePath`. */
function UploadThenShow(props: IKImageProps) {
  const [result, setResult] = useState<UploadResponse>()
  return (
    <div style={{ display: 'grid', gap: 12, fontFamily: 'system-ui, sans-serif' }}>
      <IKUpload aria-label="Upload a picture" accept="image/*" onSuccess={setResult} />
      {result && (
        <figure style={{ margin: 0 }}>
          <IKImage {...props} src={result.filePath} alt={result.name} />
          <figcaption>
            <code>{buildSrc({ urlEndpoint: URL_ENDPOINT, src: result.filePath })}</code>
          </figcaption>
        </figure>
      )}
    </div>
  )
}

/** An upload result renders straight: `<IKImage src={result.filePath} />`. */
export const AfterAnUpload: Story = {
  render: (args) => <UploadThenShow {...args} />,
  args: { src: undefined, width: 128, style: { imageRendering: 'pixelated' } } as IKImageProps,
  play: async ({ canvas, userEvent }) => {
    await userEvent.upload(canvas.getByLabelText('Upload a picture'), pngFile('teal.png'))
    const img = await canvas.findByRole('img', { name: /^teal_[\w-]{9}\.png$/ })
    await expect(img.getAttribute('src')).toMatch(
      new RegExp(`^${URL_ENDPOINT}/teal_[\\w-]{9}\\.png\\?tr=w-256,c-at_max$`),
    )
  },
}
