/**
 * A story control for an HTML attribute the components pass through to their element. The kit's own
 * props take their description and default from their JSDoc (react-docgen-typescript); these come
 * from React's DOM types, which carry none, so their row says which element gets them.
 */
import type { ArgTypes } from '@storybook/react-vite'

type Control = NonNullable<ArgTypes[string]>

export const htmlAttribute = (
  element: string,
  control: Control['control'],
  category: string,
  extra: Control = {},
): Control => ({
  control,
  description: `The \`${element}\`'s own attribute, passed through.`,
  table: { category },
  ...extra,
})
