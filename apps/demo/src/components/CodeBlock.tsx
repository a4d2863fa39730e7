import type { ReactNode } from 'react'

/**
 * A block of example code. It scrolls when long, so it takes focus (a keyboard user scrolls it with
 * the arrow keys) and is a labelled region, so that stop is announced by name.
 */
export function CodeBlock({
  children,
  label,
  testId,
}: {
  children: string
  /** What the block holds, read when it takes focus. */
  label: string
  testId?: string
}): ReactNode {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable block must be reachable by keyboard (WCAG 2.1.1, axe scrollable-region-focusable).
    // biome-ignore lint/a11y/useSemanticElements: the <pre> is what scrolls; the role names it as a region.
    <pre className="code" data-testid={testId} tabIndex={0} role="region" aria-label={label}>
      <code>{children}</code>
    </pre>
  )
}
