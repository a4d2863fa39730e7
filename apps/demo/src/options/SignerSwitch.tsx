import type { ReactNode } from 'react'
import { type SegmentedChoice, SegmentedRadios } from './SegmentedRadios'

/** How the Options page signs its uploads: v1 (a signature per upload) or v2 (the backend signs the fields). */
export type SigningVersion = 'v1' | 'v2'

const CHOICES: SegmentedChoice<SigningVersion>[] = [
  {
    value: 'v1',
    label: 'v1',
    title: 'signV1: a token, expire and signature per upload; the fields are not signed',
  },
  {
    value: 'v2',
    label: 'v2',
    title: 'signV2: the backend approves the fields and signs them into one token',
  },
]

/** The v1/v2 switch of the Options page, as two radios (the tri-state switches' look). */
export function SignerSwitch({
  value,
  onChange,
}: {
  value: SigningVersion
  onChange: (value: SigningVersion) => void
}): ReactNode {
  return (
    <SegmentedRadios
      label="Signing"
      name="signing-version"
      choices={CHOICES}
      value={value}
      onChange={onChange}
    />
  )
}
