import type { ReactNode } from 'react'

/** A progress bar that screen readers (and the e2e tests) read through its ARIA values. */
export function ProgressBar({
  value,
  label,
  status,
}: {
  value: number
  label: string
  status?: string
}): ReactNode {
  const percent = Math.max(0, Math.min(100, Math.round(value)))
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      data-status={status}
    >
      <span style={{ width: `${percent}%` }} />
    </div>
  )
}
