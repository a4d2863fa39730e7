/// <reference types="vite/client" />
/**
 * Every story is a test: each one is composed with the project's preview (portable stories) and run
 * (render, then play) in happy-dom, against the same msw mock that Storybook's browser worker serves,
 * here through msw's node server.
 */
import { composeStories, setProjectAnnotations } from '@storybook/react-vite'
import { setupServer } from 'msw/node'
import type { ComposedStoryFn, Store_CSFExports } from 'storybook/internal/types'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import preview from '../../../../.storybook/preview'
import { mock } from '../stories/mockApi'

// The preview's beforeAll (which starts the browser worker) is deliberately not run here.
setProjectAnnotations(preview)

const server = setupServer(...mock.handlers)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

// Every stories file of the package, so a new story is tested without touching this file.
const modules = import.meta.glob<Store_CSFExports>('../**/*.stories.tsx', { eager: true })

for (const [path, module] of Object.entries(modules)) {
  describe(module.default.title ?? path, () => {
    const stories: Record<string, ComposedStoryFn> = composeStories(module)
    for (const [name, Story] of Object.entries(stories)) {
      it(name, async () => {
        // A story without a play function would pass by rendering alone.
        expect(Story.play, `${name} needs a play function that asserts what it shows`).toBeTypeOf('function')
        await Story.run()
      }, 30_000)
    }
  })
}

it('finds the stories beside the components and the custom-UI ones', () => {
  expect(Object.keys(modules)).toEqual(
    expect.arrayContaining([
      '../IKUpload.stories.tsx',
      '../IKDropzone.stories.tsx',
      '../stories/Gallery.stories.tsx',
    ]),
  )
})
