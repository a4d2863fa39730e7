import type { ReactNode } from 'react'
import { demoConfig } from '../demoConfig'

/** What a v2 upload asked the backend to sign, and what the backend signed (the item's `fields`). */
export interface SignedPayload {
  fileName: string
  /** The fields the page asked for, as wire strings (the upload options, `fileName` filled in). */
  asked: Record<string, string>
  /** The fields sent with the token: what the backend approved (`item.fields`, auth left out). */
  sent: Record<string, string>
}

// Readable on --surface in both themes, as the accent badges are.
const BACKEND_BADGE = { background: 'var(--accent-soft)', color: 'var(--accent-strong)' }
// The table fits a phone: its headers and notes wrap (the .wire table keeps names on one line).
const WRAP = { whiteSpace: 'normal' } as const

function change(asked: string | undefined, sent: string | undefined): string | undefined {
  if (asked === sent) return undefined
  if (asked === undefined) return 'added by the backend'
  if (sent === undefined) return 'dropped by the backend'
  return 'changed by the backend'
}

/**
 * The signed payload of the latest v2 upload: every field the backend signed into the token (its
 * JWT payload holds exactly these, plus `iat` and `exp`) beside what the page asked for, so what the
 * backend rewrote shows. Read from the uploader item's `fields`, the fields actually sent; the token
 * itself is single use and not kept, and the private key never leaves the backend.
 */
export function SignedFields({ payload }: { payload: SignedPayload }): ReactNode {
  const { asked, sent } = payload
  const names = [...Object.keys(sent), ...Object.keys(asked).filter((name) => !(name in sent))]
  const changed = names.filter((name) => change(asked[name], sent[name])).length
  return (
    <section className="card" aria-labelledby="signed-title" data-testid="signed-fields">
      <div className="card-head">
        <h2 id="signed-title">Signed payload</h2>
        <span className="badge" style={changed ? BACKEND_BADGE : undefined}>
          {changed === 0
            ? 'signed as asked'
            : `${changed} field${changed === 1 ? '' : 's'} set by the backend`}
        </span>
      </div>
      <p className="hint">
        For {payload.fileName}, <code>{demoConfig.authenticationV2Endpoint}</code> approved these fields and
        signed them into the upload’s token; the page then sent exactly them. The demo’s backend keeps v2
        uploads in its own folder and tags them.
      </p>
      <table className="wire" aria-label="Signed fields">
        <thead>
          <tr>
            <th scope="col">field</th>
            <th scope="col" style={WRAP}>
              asked
            </th>
            <th scope="col" style={WRAP}>
              signed and sent
            </th>
          </tr>
        </thead>
        <tbody>
          {names.map((name) => {
            const note = change(asked[name], sent[name])
            return (
              <tr key={name} data-field={name} data-change={note ? '' : undefined}>
                <th scope="row">{name}</th>
                <td>{asked[name] ?? 'not asked'}</td>
                <td>
                  <span data-testid="signed-value">{sent[name] ?? 'not sent'}</span>
                  {note && (
                    <>
                      <br />
                      <span className="badge" style={{ ...BACKEND_BADGE, ...WRAP, marginTop: 4 }}>
                        {note}
                      </span>
                    </>
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}
