import type { ReactNode } from 'react'

/** A block of example code. */
export function CodeBlock({ children, testId }: { children: string; testId?: string }): ReactNode {
  return (
    <pre className="code" data-testid={testId}>
      <code>{children}</code>
    </pre>
  )
}
