import type { ReactNode } from 'react'
import type { Activity } from '../state/DemoState'

type ErrorFacts = Extract<Activity, { kind: 'error' }>['error']

// What each error code means for the person looking at it.
const TITLES: Record<string, string> = {
  validation: 'Refused before sending',
  auth: 'Could not get upload permission',
  network: 'Network error',
  timeout: 'Timed out',
  server: 'The upload server refused the file',
  aborted: 'Cancelled',
}

/**
 * An upload error: the server's (or the client's) message, ImageKit's help line, and the facts.
 * Not a live region: each page announces its errors once, in words without URLs, through its own
 * status region, and an alert here would read the same error a second time.
 */
export function ErrorCallout({ error, fileName }: { error: ErrorFacts; fileName?: string }): ReactNode {
  return (
    <div className="callout error" data-testid="error-callout" data-error-code={error.code}>
      <div className="title">
        {TITLES[error.code] ?? 'Upload failed'}
        {fileName ? `: ${fileName}` : ''}
      </div>
      <div data-testid="error-message">{error.message}</div>
      {error.help && (
        <div className="meta" data-testid="error-help">
          {error.help}
        </div>
      )}
      <div className="meta">
        code <code>{error.code}</code>
        {error.status ? (
          <>
            {' · '}HTTP <code>{error.status}</code>
          </>
        ) : null}
        {error.field ? (
          <>
            {' · '}field <code>{error.field}</code>
          </>
        ) : null}
      </div>
    </div>
  )
}
