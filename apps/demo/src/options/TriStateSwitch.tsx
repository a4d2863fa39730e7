import { type ReactNode, useId } from 'react'
import type { TriState } from './optionsFromForm'

const CHOICES: { value: TriState; label: string }[] = [
  { value: 'default', label: 'not sent' },
  { value: 'true', label: 'true' },
  { value: 'false', label: 'false' },
]

/** A boolean option as three radios: not sent (the server's default applies), true or false. */
export function TriStateSwitch({
  name,
  value,
  serverDefault,
  onChange,
}: {
  name: string
  value: TriState
  serverDefault: boolean
  onChange: (value: TriState) => void
}): ReactNode {
  const labelId = useId()
  return (
    <div className="tri">
      <span className="tri-label" id={labelId}>
        <code>{name}</code> <small className="queue-meta">default {String(serverDefault)}</small>
      </span>
      <div className="segmented" role="radiogroup" aria-labelledby={labelId}>
        {CHOICES.map((choice) => (
          <label key={choice.value}>
            <input
              type="radio"
              name={name}
              value={choice.value}
              checked={value === choice.value}
              onChange={() => onChange(choice.value)}
            />
            {choice.label}
          </label>
        ))}
      </div>
    </div>
  )
}
