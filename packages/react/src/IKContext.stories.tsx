import type { Meta, StoryObj } from '@storybook/react-vite'
import { useId, useState } from 'react'
import { expect } from 'storybook/test'
import { IKContext, type IKContextProps } from './IKContext'
import { IKImage } from './IKImage'
import { IKUpload } from './IKUpload'
import type { UploadResponse } from './index'
import { pngFile } from './stories/files'
import { URL_ENDPOINT } from './stories/mockApi'
import { sourceArgTypes } from './stories/sourceArgTypes'
import { uploadArgTypes } from './stories/uploadArgTypes'

/**
 * What the context's children are in these stories: an `IKUpload` with no options of its own, and
 * the uploaded picture through an `IKImage` given only the result's path, so whatever shows came
 * from the context.
 */
function UploadAndShow() {
  const [result, setResult] = useState<UploadResponse>()
  const path = result?.filePath
  const inputId = useId()
  return (
    <div style={{ display: 'grid', gap: 12, fontFamily: 'system-ui, sans-serif' }}>
      <div>
        <label htmlFor={inputId}>Upload a picture</label>{' '}
        <IKUpload id={inputId} accept="image/*" onSuccess={setResult} />
      </div>
      <p role="status">
        {path
          ? `Stored at ${path}${result?.tags ? `, tagged ${result.tags.join(', ')}` : ''}`
          : 'Nothing uploaded yet'}
      </p>
      {path && <IKImage src={path} alt="The uploaded picture" width={64} />}
    </div>
  )
}

/**
 * Every story already runs inside the preview's `IKContext` (the mock's keys and URLs); the one here
 * is nested in it, so it adds its props to the outer ones, as an app's nested contexts would.
 */
const meta = {
  title: 'Components/IKContext',
  component: IKContext,
  argTypes: {
    ...uploadArgTypes,
    // The display props (IKImage, IKVideo) it provides beside the upload options.
    urlEndpoint: sourceArgTypes.urlEndpoint,
    transformationPosition: sourceArgTypes.transformationPosition,
    signedUrl: sourceArgTypes.signedUrl,
    children: { control: false },
  },
  args: { children: <UploadAndShow /> },
} satisfies Meta<IKContextProps>

export default meta
type Story = StoryObj<typeof meta>

/** Options set on the context reach every uploader inside: here a folder and tags on each file. */
export const DefaultsForEveryUpload: Story = {
  args: { folder: '/from-context', tags: ['context'], responseFields: ['tags'] },
  play: async ({ canvas, userEvent }) => {
    await userEvent.upload(canvas.getByLabelText('Upload a picture'), pngFile('shared.png'))
    await expect(
      await canvas.findByText(/^Stored at \/from-context\/shared_[\w-]{9}\.png, tagged context$/),
    ).toBeInTheDocument()
  },
}

/** The context's `transformationPosition` applies to `IKImage` inside: transformations in the path. */
export const DisplayDefaults: Story = {
  args: { transformationPosition: 'path' },
  play: async ({ canvas, userEvent }) => {
    await userEvent.upload(canvas.getByLabelText('Upload a picture'), pngFile('shown.png'))
    const img = await canvas.findByRole('img', { name: 'The uploaded picture' })
    await expect(img.getAttribute('src')).toMatch(
      new RegExp(`^${URL_ENDPOINT}/tr:w-128,c-at_max/shown_[\\w-]{9}\\.png$`),
    )
  },
}
