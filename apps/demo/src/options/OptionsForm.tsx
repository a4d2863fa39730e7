import { RESPONSE_FIELDS } from '@ik-upload/core/protocol'
import type { ReactNode } from 'react'
import {
  BOOLEAN_OPTIONS,
  type BooleanOption,
  EMPTY_OPTIONS_FORM,
  type OptionsForm as Form,
  type JsonOption,
} from './optionsFromForm'
import { TriStateSwitch } from './TriStateSwitch'

type TextOption = Exclude<keyof Form, BooleanOption | 'responseFields'>

// Examples shown as placeholders: each is a valid value the server accepts.
const PLACEHOLDERS: Record<TextOption, string> = {
  fileName: 'the picked file’s name',
  tags: 'summer, beach',
  folder: '/photos/2026',
  customCoordinates: '10,10,100,100',
  description: 'A short description',
  webhookUrl: 'https://example.com/ik-webhook',
  checks: '"file.size" < "5mb"',
  customMetadata: '{"brand": "acme", "price": 42}',
  extensions: '[{"name": "google-auto-tagging", "maxTags": 5, "minConfidence": 95}]',
  transformation: '{"pre": "w-1600", "post": [{"type": "transformation", "value": "w-300"}]}',
}

const HINTS: Partial<Record<TextOption, string>> = {
  fileName: 'unsafe characters become _',
  tags: 'comma-separated, ≤ 500 chars',
  folder: 'created on demand',
  customCoordinates: 'x,y,width,height',
  checks: 'an expression the file must pass',
}

/** The options panel: every upload option of the spec, each one either set or not sent. */
export function OptionsForm({
  form,
  jsonErrors,
  onChange,
}: {
  form: Form
  jsonErrors: Partial<Record<JsonOption, string>>
  onChange: (form: Form) => void
}): ReactNode {
  const set = <K extends keyof Form>(name: K, value: Form[K]) => onChange({ ...form, [name]: value })

  const text = (name: TextOption, multiline = false) => {
    const error = jsonErrors[name as JsonOption]
    const id = `option-${name}`
    const props = {
      id,
      name,
      value: form[name],
      placeholder: PLACEHOLDERS[name],
      spellCheck: false,
      'aria-invalid': error ? true : undefined,
      onChange: (event: { target: { value: string } }) => set(name, event.target.value),
    }
    return (
      <div className="field" data-invalid={error ? '' : undefined}>
        <label htmlFor={id}>
          <code>{name}</code>
          {HINTS[name] && <small>{HINTS[name]}</small>}
        </label>
        {multiline ? <textarea rows={2} {...props} /> : <input type="text" {...props} />}
        {error && <span className="field-error">Not sent: invalid JSON ({error})</span>}
      </div>
    )
  }

  const flag = (name: BooleanOption) => (
    <TriStateSwitch
      name={name}
      value={form[name]}
      serverDefault={BOOLEAN_OPTIONS[name]}
      onChange={(value) => set(name, value)}
    />
  )

  return (
    <form className="card" aria-label="Upload options" onSubmit={(event) => event.preventDefault()}>
      <div className="card-head">
        <h2>Upload options</h2>
        <button
          type="button"
          className="button small ghost"
          onClick={() => onChange(EMPTY_OPTIONS_FORM)}
          aria-label="Reset all options"
        >
          Reset
        </button>
      </div>
      <div className="form-section">
        <h3>Name and place</h3>
        <div className="form-row">
          {text('fileName')}
          {text('folder')}
        </div>
        {flag('useUniqueFileName')}
        {flag('overwriteFile')}
      </div>
      <div className="form-section">
        <h3>Access</h3>
        {flag('isPrivateFile')}
        {flag('isPublished')}
      </div>
      <div className="form-section">
        <h3>Metadata</h3>
        <div className="form-row">
          {text('tags')}
          {text('customCoordinates')}
        </div>
        {text('description')}
        {text('customMetadata', true)}
        {flag('overwriteTags')}
        {flag('overwriteAITags')}
        {flag('overwriteCustomMetadata')}
      </div>
      <div className="form-section">
        <h3>Response</h3>
        <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="field-label">
            <code>responseFields</code> <small>extra fields in the response</small>
          </legend>
          <div className="chips">
            {RESPONSE_FIELDS.map((field) => (
              <label key={field} className="chip">
                <input
                  type="checkbox"
                  name="responseFields"
                  value={field}
                  checked={form.responseFields.includes(field)}
                  onChange={(event) =>
                    set(
                      'responseFields',
                      event.target.checked
                        ? RESPONSE_FIELDS.filter(
                            (name) => name === field || form.responseFields.includes(name),
                          )
                        : form.responseFields.filter((name) => name !== field),
                    )
                  }
                />
                {field}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      <div className="form-section">
        <h3>Processing</h3>
        {text('extensions', true)}
        {text('transformation', true)}
        {text('webhookUrl')}
        {text('checks')}
      </div>
    </form>
  )
}
