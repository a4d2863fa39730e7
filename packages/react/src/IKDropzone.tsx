'use client'
import { forwardRef, type HTMLAttributes, type ReactNode } from 'react'
import { domProps } from './splitProps'
import { type UseDropzoneOptions, type UseDropzoneResult, useDropzone, visuallyHidden } from './useDropzone'

/** Props of `IKDropzone`: the uploader options, the zone's options and the attributes of its `<div>`. */
export interface IKDropzoneProps
  extends UseDropzoneOptions,
    Omit<HTMLAttributes<HTMLDivElement>, 'children' | 'onError'> {
  /** Content of the button that opens the file picker. @default 'Choose files' */
  label?: ReactNode
  /** Content after the button: nodes, or a function of the upload and zone state (items, progress, actions). @default none */
  children?: ReactNode | ((state: UseDropzoneResult) => ReactNode)
}

/**
 * A drop zone: drop files on it, paste them into it, or open the picker with its real button
 * (focusable, Enter and Space). State is exposed for styling as `data-drop-target`, `data-status`
 * (`idle | uploading | error | success`) and `data-disabled`, and an `aria-live` region announces
 * progress, success and errors. To name the zone, pass a role with the name
 * (`role="group" aria-label="Photos"`): ARIA allows no `aria-label` on a plain `<div>`.
 */
export const IKDropzone = /* @__PURE__ */ forwardRef<HTMLDivElement, IKDropzoneProps>(function IKDropzone(
  { label = 'Choose files', children, multiple, disabled, ...props },
  ref,
) {
  const zone = useDropzone({ ...props, multiple, disabled })
  const { accept, ...attributes } = domProps(props)
  return (
    <div {...zone.getRootProps(attributes)} ref={ref}>
      <input {...zone.getInputProps()} />
      <button {...zone.getButtonProps()}>{label}</button>
      {typeof children === 'function' ? children(zone) : children}
      <div role="status" aria-live="polite" style={visuallyHidden}>
        {zone.announcement}
      </div>
    </div>
  )
})
