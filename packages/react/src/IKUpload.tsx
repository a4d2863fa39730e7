'use client'
import { type ChangeEvent, forwardRef, type InputHTMLAttributes, useImperativeHandle, useRef } from 'react'
import { domProps } from './splitProps'
import { type UseUploadOptions, useUploader } from './useUploader'

/** The element `IKUpload`'s ref points at: its `<input type="file">`, plus `abort()`. */
export interface IKUploadElement extends HTMLInputElement {
  /** Aborts every unfinished upload started by this input. */
  abort(): void
}

/**
 * Props of `IKUpload`: every upload option of the spec and every uploader option (imagekitio-react's
 * names), plus the attributes of `<input type="file">`.
 */
export interface IKUploadProps
  extends UseUploadOptions,
    Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'accept' | 'onError' | 'children'> {}

/**
 * A file input that uploads what is picked: each file goes through the uploader's queue with its
 * retries. The ref is the input element, with `abort()` added. Your `onChange` runs first; call
 * `event.preventDefault()` in it to handle the files yourself.
 */
export const IKUpload = /* @__PURE__ */ forwardRef<IKUploadElement, IKUploadProps>(
  function IKUpload(props, ref) {
    const uploader = useUploader(props)
    const input = useRef<IKUploadElement>(null)
    useImperativeHandle(
      ref,
      () => Object.assign(input.current as IKUploadElement, { abort: () => uploader.abort() }),
      [uploader],
    )
    return (
      <input
        {...(domProps(props) as InputHTMLAttributes<HTMLInputElement>)}
        ref={input}
        type="file"
        onChange={(event: ChangeEvent<HTMLInputElement>) => {
          props.onChange?.(event)
          if (event.isDefaultPrevented()) return
          uploader.add(event.target.files as FileList)
          // Reset, or picking the same file again fires no change event.
          event.target.value = ''
        }}
      />
    )
  },
)
