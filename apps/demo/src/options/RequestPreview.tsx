import type { UploadFieldOptions } from '@ik-upload/core'
import { checkUploadOptions, encodeUploadFields } from '@ik-upload/core/protocol'
import { type KeyboardEvent, type ReactNode, useId, useRef, useState } from 'react'
import { CodeBlock } from '../components/CodeBlock'
import { demoConfig } from '../demoConfig'
import type { SigningVersion } from './SignerSwitch'
import { toJsx } from './toJsx'

/**
 * The request the options panel will send, field by field, as the kit encodes it: the protocol's own
 * `encodeUploadFields`, so the preview cannot drift from the wire. The auth fields are fetched fresh
 * for every attempt, so they are described rather than shown: v1's `publicKey`, `signature`,
 * `expire` and `token`, or v2's one `token` (a JWT over the fields the backend approved).
 */
const VIEWS = [
  { id: 'wire', label: 'multipart fields' },
  { id: 'jsx', label: 'JSX' },
] as const
type View = (typeof VIEWS)[number]['id']

export function RequestPreview({
  options,
  version = 'v1',
}: {
  options: UploadFieldOptions
  /** Which signer the upload uses: v2 sends one JWT `token` and no `publicKey`/`signature`/`expire`. @default 'v1' */
  version?: SigningVersion
}): ReactNode {
  const [view, setView] = useState<View>('wire')
  const ids = useId()
  const tabs = useRef<Partial<Record<View, HTMLButtonElement | null>>>({})
  // The ARIA tabs pattern: one Tab stop (the selected tab); arrows, Home and End move and select.
  const onKeyDown = (event: KeyboardEvent) => {
    const at = VIEWS.findIndex((tab) => tab.id === view)
    const next = {
      ArrowRight: at + 1,
      ArrowLeft: at - 1 + VIEWS.length,
      Home: 0,
      End: VIEWS.length - 1,
    }[event.key]
    if (next === undefined) return
    event.preventDefault()
    const tab = VIEWS[next % VIEWS.length] as (typeof VIEWS)[number]
    setView(tab.id)
    tabs.current[tab.id]?.focus()
  }
  const fields = encodeUploadFields(options)
  const problem = checkUploadOptions(options)
  const v2 = version === 'v2'
  const auth = `fresh from ${demoConfig.authenticationEndpoint}, per attempt`
  return (
    <section className="card" aria-labelledby="request-title">
      <div className="card-head">
        <h2 id="request-title">Request</h2>
        <div className="tabs" role="tablist" aria-label="Request view" onKeyDown={onKeyDown}>
          {VIEWS.map((tab) => (
            <button
              key={tab.id}
              ref={(element) => {
                tabs.current[tab.id] = element
              }}
              type="button"
              role="tab"
              id={`${ids}-tab-${tab.id}`}
              aria-selected={view === tab.id}
              aria-controls={`${ids}-panel`}
              tabIndex={view === tab.id ? 0 : -1}
              onClick={() => setView(tab.id)}
            >
              {tab.label}
            </button>
          ))}
        </div>
      </div>
      {problem && (
        <div className="callout warning" role="status" style={{ marginBottom: 12 }}>
          <div className="title">The kit will refuse this before sending</div>
          <code>{problem.field}</code>: {problem.message}
        </div>
      )}
      <div
        role="tabpanel"
        id={`${ids}-panel`}
        aria-labelledby={`${ids}-tab-${view}`}
        // The fields table has nothing to focus, so the panel itself is the stop after the tabs;
        // the JSX view's code block is focusable already.
        tabIndex={view === 'wire' ? 0 : undefined}
      >
        {view === 'jsx' ? (
          <CodeBlock label="JSX of this upload" testId="request-jsx">
            {toJsx(options, v2)}
          </CodeBlock>
        ) : (
          <>
            <div className="wire-url">
              <b>POST</b>
              {v2 ? demoConfig.uploadV2Endpoint : demoConfig.uploadEndpoint}
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
                {v2 ? (
                  <tr className="auth">
                    <th>token</th>
                    <td>
                      a JWT from {demoConfig.authenticationV2Endpoint}, per attempt, signing the fields above
                      as the backend approves them (it may change them)
                    </td>
                  </tr>
                ) : (
                  <>
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
                  </>
                )}
                <tr className="auth">
                  <th>file</th>
                  <td>binary part, last, named after fileName</td>
                </tr>
              </tbody>
            </table>
          </>
        )}
      </div>
    </section>
  )
}
