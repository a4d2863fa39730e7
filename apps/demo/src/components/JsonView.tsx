import type { ReactNode } from 'react'

// Keys, strings and the rest of pretty-printed JSON, for a little colour without a library.
const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)/gi

/** Pretty-printed JSON with keys and strings coloured. */
export function JsonView({ value, testId }: { value: unknown; testId?: string }): ReactNode {
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
    <pre className="code wrap" data-testid={testId}>
      {parts}
    </pre>
  )
}
