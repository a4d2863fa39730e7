import type { ReactNode } from 'react'
import type { TriState } from './optionsFromForm'
import { type SegmentedChoice, SegmentedRadios } from './SegmentedRadios'

const CHOICES: SegmentedChoice<TriState>[] = [
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
  return (
    <SegmentedRadios
      label={
        <>
          <code>{name}</code> <small className="queue-meta">default {String(serverDefault)}</small>
        </>
      }
      name={name}
      choices={CHOICES}
      value={value}
      onChange={onChange}
    />
  )
}
