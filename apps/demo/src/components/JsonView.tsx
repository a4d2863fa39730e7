import type { ReactNode } from 'react'

// Keys, strings and the rest of pretty-printed JSON, for a little colour without a library.
const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)/gi

/** Pretty-printed JSON with keys and strings coloured; focusable and labelled, as it scrolls when long. */
export function JsonView({
  value,
  label,
  testId,
}: {
  value: unknown
  label: string
  testId?: string
}): ReactNode {
  const text = JSON.stringify(value, null, 2)
  const parts: ReactNode[] = []
  let last = 0
  for (const match of text.matchAll(TOKEN)) {
    parts.push(text.slice(last, match.index))
    const [token, string, colon] = match
    if (string && colon)
      parts.push(
        <span key={match.index} className="k">
          {string}
        </span>,
        colon,
      )
    else
      parts.push(
        <span key={match.index} className={string ? 's' : 'k'}>
          {token}
        </span>,
      )
    last = match.index + token.length
  }
  parts.push(text.slice(last))
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable block must be reachable by keyboard (WCAG 2.1.1, axe scrollable-region-focusable).
    // biome-ignore lint/a11y/useSemanticElements: the <pre> is what scrolls; the role names it as a region.
    <pre className="code wrap" data-testid={testId} tabIndex={0} role="region" aria-label={label}>
      {parts}
    </pre>
  )
}
