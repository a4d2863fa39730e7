import type { UploadFieldOptions } from '@ik-upload/core'
import { checkUploadOptions, encodeUploadFields } from '@ik-upload/core/protocol'
import { type ReactNode, useState } from 'react'
import { CodeBlock } from '../components/CodeBlock'
import { demoConfig } from '../demoConfig'
import { toJsx } from './toJsx'

/**
 * The request the options panel will send, field by field, as the kit encodes it: the protocol's own
 * `encodeUploadFields`, so the preview cannot drift from the wire. The auth fields are fetched fresh
 * for every attempt, so they are described rather than shown.
 */
export function RequestPreview({ options }: { options: UploadFieldOptions }): ReactNode {
  const [view, setView] = useState<'wire' | 'jsx'>('wire')
  const fields = encodeUploadFields(options)
  const problem = checkUploadOptions(options)
  const auth = `fresh from ${demoConfig.authenticationEndpoint}, per attempt`
  return (
    <section className="card" aria-labelledby="request-title">
      <div className="card-head">
        <h2 id="request-title">Request</h2>
        <div className="tabs" role="tablist" aria-label="Request view">
          <button type="button" role="tab" aria-selected={view === 'wire'} onClick={() => setView('wire')}>
            multipart fields
          </button>
          <button type="button" role="tab" aria-selected={view === 'jsx'} onClick={() => setView('jsx')}>
            JSX
          </button>
        </div>
      </div>
      {problem && (
        <div className="callout warning" role="status" style={{ marginBottom: 12 }}>
          <div className="title">The kit will refuse this before sending</div>
          <code>{problem.field}</code>: {problem.message}
        </div>
      )}
      {view === 'jsx' ? (
        <CodeBlock testId="request-jsx">{toJsx(options)}</CodeBlock>
      ) : (
        <>
          <div className="wire-url">
            <b>POST</b>
            {demoConfig.uploadEndpoint}
          </div>
          <table className="wire" aria-label="Multipart fields">
            <tbody>
              {!options.fileName && (
                <tr className="auth">
                  <th>fileName</th>
                  <td>the picked file’s name</td>
                </tr>
              )}
              {fields.map(([name, value]) => (
                <tr key={name} data-field={name}>
                  <th>{name}</th>
                  <td data-testid="wire-value">{value}</td>
                </tr>
              ))}
              <tr>
                <th>publicKey</th>
                <td>{demoConfig.publicKey}</td>
              </tr>
              {['signature', 'expire', 'token'].map((name) => (
                <tr key={name} className="auth">
                  <th>{name}</th>
                  <td>{auth}</td>
                </tr>
              ))}
              <tr className="auth">
                <th>file</th>
                <td>binary part, last, named after fileName</td>
              </tr>
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
