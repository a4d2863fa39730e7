import type { ReactNode } from 'react'
import { type UploadSource, useDemoState } from '../state/DemoState'
import { ErrorCallout } from './ErrorCallout'
import { JsonView } from './JsonView'

/** The latest response JSON of one page's uploads, or its latest error with message and help. */
export function ResponsePanel({ source }: { source: UploadSource }): ReactNode {
  const activity = useDemoState().activity[source]
  return (
    <section className="card" aria-labelledby="response-title" data-testid="response-panel">
      <div className="card-head">
        <h2 id="response-title">Response</h2>
        {activity && (
          <span className="badge" data-status={activity.kind}>
            {activity.kind === 'success'
              ? '200 OK'
              : activity.error.status
                ? `HTTP ${activity.error.status}`
                : 'error'}
          </span>
        )}
      </div>
      {!activity && <div className="empty">Upload a file here to see what the server answers.</div>}
      {activity?.kind === 'success' && (
        <JsonView value={activity.result} label="Response JSON" testId="response-json" />
      )}
      {activity?.kind === 'error' && <ErrorCallout error={activity.error} fileName={activity.fileName} />}
    </section>
  )
}
