import { type ReactNode, useId } from 'react'

/** One radio of a segmented group: its value, its visible label and an optional tooltip. */
export interface SegmentedChoice<T extends string> {
  value: T
  label: string
  title?: string
}

/**
 * A labelled radio group drawn as one segmented control (the Options page's switches): a
 * `radiogroup` named by `label`, one native radio per choice, so arrow keys and screen readers work
 * as for any radios.
 */
export function SegmentedRadios<T extends string>({
  label,
  name,
  choices,
  value,
  onChange,
}: {
  /** What names the group (shown, and its accessible name). */
  label: ReactNode
  /** The radios' shared `name`. */
  name: string
  choices: readonly SegmentedChoice<T>[]
  value: T
  onChange: (value: T) => void
}): ReactNode {
  const labelId = useId()
  return (
    <div className="tri">
      <span className="tri-label" id={labelId}>
        {label}
      </span>
      <div className="segmented" role="radiogroup" aria-labelledby={labelId}>
        {choices.map((choice) => (
          <label key={choice.value} title={choice.title}>
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
