import { IKContext } from '@ik-upload/react'
import type { Preview } from '@storybook/react-vite'
import { configure } from 'storybook/test'
import { mock, mockConfig } from '../packages/react/src/stories/mockApi'

// Play functions wait up to 10 s (not 1) for what a story shows: a slow or busy machine only makes
// them slower, never red.
configure({ asyncUtilTimeout: 10_000 })

const preview: Preview = {
  // A Docs page for every component and hook: its description and props table come from the JSDoc
  // (react-docgen-typescript, see main.ts), then every story.
  tags: ['autodocs'],
  // Every story uploads to the mock API with throwaway dev keys; stories override options as args.
  decorators: [
    (Story) => (
      <IKContext {...mockConfig}>
        <Story />
      </IKContext>
    ),
  ],
  // Storybook only: the stories' vitest run serves the same mock with msw's setupServer instead.
  async beforeAll() {
    const { setupWorker } = await import('msw/browser')
    // Served beside iframe.html by main.ts; a relative URL, so a Storybook deployed under a sub-path
    // finds it too.
    await setupWorker(...mock.handlers).start({
      serviceWorker: { url: 'mockServiceWorker.js' },
      onUnhandledRequest: 'bypass',
      quiet: true,
    })
  },
  // Each story starts on an empty mock: no files, tokens or failures left by the one before.
  beforeEach() {
    mock.reset()
  },
  parameters: {
    controls: { expanded: true, sort: 'requiredFirst' },
  },
}

export default preview
