/**
 * Docs pages for the hooks. A hook has no props for docgen to read, so its page is built on a story
 * component whose props are the hook's options (the Controls table), and on a component that renders
 * nothing and whose props are the hook's result (the second table): both tables are read by
 * react-docgen-typescript from the types' JSDoc, like the components' tables.
 */
import {
  ArgTypes,
  Controls,
  Description,
  Heading,
  Primary,
  Stories,
  Subtitle,
  Title,
} from '@storybook/addon-docs/blocks'
import type { ComponentType } from 'react'
import type { UseDropzoneResult } from '../useDropzone'
import type { UseUploadResult } from '../useUpload'

/** What `useUpload` returns; renders nothing (a props table for the Docs page). */
export function UseUploadResultFields(_: UseUploadResult): null {
  return null
}

/** What `useDropzone` returns: everything `useUpload` does, the zone's state and the prop getters; renders nothing. */
export function UseDropzoneResultFields(_: UseDropzoneResult): null {
  return null
}

/** The autodocs page of a hook: the usual blocks, with the options and the result as two tables. */
function HookDocsPage({ result }: { result: ComponentType<never> }) {
  return (
    <>
      <Title />
      <Subtitle />
      <Description />
      <Primary />
      <Heading>Options</Heading>
      <Controls />
      <Heading>What it returns</Heading>
      <ArgTypes of={result} />
      <Stories />
    </>
  )
}

/** The Docs page of `useUpload`. */
export const UseUploadDocsPage = () => <HookDocsPage result={UseUploadResultFields} />

/** The Docs page of `useDropzone`. */
export const UseDropzoneDocsPage = () => <HookDocsPage result={UseDropzoneResultFields} />
