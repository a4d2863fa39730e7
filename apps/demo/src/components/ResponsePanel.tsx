import type { ReactNode } from 'react'
import { useDemoState } from '../state/DemoState'
import { ErrorCallout } from './ErrorCallout'
import { JsonView } from './JsonView'

/** The latest response JSON, or the latest error with its message and help. */
export function ResponsePanel(): ReactNode {
  const { activity } = useDemoState()
  return (
    <section className="card" aria-labelledby="response-title">
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
      {!activity && <div className="empty">Upload a file to see what the server answers.</div>}
      {activity?.kind === 'success' && <JsonView value={activity.result} testId="response-json" />}
      {activity?.kind === 'error' && <ErrorCallout error={activity.error} fileName={activity.fileName} />}
    </section>
  )
}
