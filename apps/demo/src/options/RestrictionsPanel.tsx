import type { ReactNode } from 'react'
import { EMPTY_RESTRICTIONS, type RestrictionsForm } from './restrictions'

const FIELDS: { name: keyof RestrictionsForm; hint: string; placeholder: string; numeric: boolean }[] = [
  { name: 'accept', hint: 'types, as <input accept>', placeholder: 'image/*, .pdf', numeric: false },
  { name: 'maxFileSize', hint: 'MB', placeholder: '25', numeric: true },
  { name: 'maxFiles', hint: 'in the queue', placeholder: 'no limit', numeric: true },
  { name: 'minWidth', hint: 'px', placeholder: 'none', numeric: true },
  { name: 'minHeight', hint: 'px', placeholder: 'none', numeric: true },
  { name: 'maxWidth', hint: 'px', placeholder: 'none', numeric: true },
  { name: 'maxHeight', hint: 'px', placeholder: 'none', numeric: true },
]

/**
 * The uploader's restrictions as live controls: the drop zone runs with them at once, refuses
 * files in the browser (before any request) and rewrites its hint from them.
 */
export function RestrictionsPanel({
  form,
  onChange,
}: {
  form: RestrictionsForm
  onChange: (form: RestrictionsForm) => void
}): ReactNode {
  return (
    <form
      className="card restrictions"
      aria-labelledby="restrictions-title"
      onSubmit={(event) => event.preventDefault()}
    >
      <div className="card-head">
        <h2 id="restrictions-title">Restrictions</h2>
        <button
          type="button"
          className="button small ghost"
          onClick={() => onChange(EMPTY_RESTRICTIONS)}
          aria-label="Reset restrictions"
        >
          Reset
        </button>
      </div>
      <p className="hint" style={{ margin: '0 0 12px', color: 'var(--muted)', fontSize: 13.5 }}>
        Checked in the browser before anything is sent; a refused file says why in its row.
      </p>
      <div className="form-row">
        {FIELDS.map(({ name, hint, placeholder, numeric }) => (
          <div className="field" key={name}>
            <label htmlFor={`restriction-${name}`}>
              <code>{name}</code>
              <small>{hint}</small>
            </label>
            <input
              id={`restriction-${name}`}
              type={numeric ? 'number' : 'text'}
              min={numeric ? (name === 'maxFileSize' ? 0 : 1) : undefined}
              step={name === 'maxFileSize' ? 'any' : numeric ? 1 : undefined}
              inputMode={numeric ? 'decimal' : undefined}
              value={form[name]}
              placeholder={placeholder}
              spellCheck={false}
              onChange={(event) => onChange({ ...form, [name]: event.target.value })}
            />
          </div>
        ))}
      </div>
    </form>
  )
}
