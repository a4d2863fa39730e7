'use client'
import {
  type ButtonHTMLAttributes,
  type ChangeEvent,
  type ClipboardEvent,
  type CSSProperties,
  type DragEvent,
  type HTMLAttributes,
  type InputHTMLAttributes,
  type MouseEvent,
  type RefObject,
  type SyntheticEvent,
  useRef,
  useState,
} from 'react'
import { type UseUploadOptions, type UseUploadResult, useUpload } from './useUpload'

/** Options of `useDropzone`: the uploader options, plus how the zone takes files. */
export interface UseDropzoneOptions extends UseUploadOptions {
  /** Take several files per drop, paste or pick; when `false` only the first is kept. @default true */
  multiple?: boolean
  /** Ignore drops, pastes and clicks, and disable the button. @default false */
  disabled?: boolean
}

/** The `data-*` attributes of the drop target, for styling. */
export interface DataAttributes {
  /** Present while files are dragged over the zone. */
  'data-drop-target'?: true
  /** `idle`, `uploading`, `error` or `success`. */
  'data-status': DropzoneState['status']
  /** Present when the zone is disabled. */
  'data-disabled'?: true
}

/** The zone's own state, beside the upload state. */
export interface DropzoneState {
  /** Files are being dragged over the zone. */
  isDragging: boolean
  /** `idle`, `uploading`, `error` (some item failed) or `success` (every finished item succeeded). */
  status: 'idle' | 'uploading' | 'error' | 'success'
  /** What the live region says: progress in steps of 10%, then how many uploaded and failed. */
  announcement: string
}

/** Everything `useUpload` returns, the zone's state, and prop getters for your own markup. */
export interface UseDropzoneResult extends UseUploadResult, DropzoneState {
  /** Opens the file picker (clearing the input first, so the same file can be picked twice). */
  open(): void
  /** The input, for `getInputProps` to attach. */
  inputRef: RefObject<HTMLInputElement | null>
  /** Props for the drop target: drag, drop and paste handlers, `data-*` state and `aria-busy`. Your handlers run first. */
  getRootProps(props?: HTMLAttributes<HTMLElement>): HTMLAttributes<HTMLElement> & DataAttributes
  /** Props for the hidden `<input type="file">`. */
  getInputProps(
    props?: InputHTMLAttributes<HTMLInputElement>,
  ): InputHTMLAttributes<HTMLInputElement> & { ref: RefObject<HTMLInputElement | null> }
  /** Props for the real, focusable `<button>` that opens the picker (Enter and Space work natively). */
  getButtonProps(props?: ButtonHTMLAttributes<HTMLButtonElement>): ButtonHTMLAttributes<HTMLButtonElement>
}

/**
 * Hides the input without `display: none`: a `required` input that is not rendered blocks form
 * submission with Chrome's "An invalid form control is not focusable" and no visible message, and
 * some older WebKit versions ignore `click()` on undisplayed file inputs.
 */
export const visuallyHidden: CSSProperties = {
  border: 0,
  clip: 'rect(0 0 0 0)',
  clipPath: 'inset(50%)',
  height: 1,
  margin: -1,
  overflow: 'hidden',
  padding: 0,
  position: 'absolute',
  whiteSpace: 'nowrap',
  width: 1,
}

type Handler<E> = ((event: E) => void) | undefined

/** Runs the user's handler first and ours only if the user did not call `preventDefault()`. */
const compose =
  <E extends SyntheticEvent>(user: Handler<E>, ours: (event: E) => void) =>
  (event: E) => {
    user?.(event)
    if (!event.isDefaultPrevented()) ours(event)
  }

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`

/** The live region's text; progress in steps of 10% so a screen reader is not flooded. */
function announce({ items, isUploading, progress, results, errors }: UseUploadResult): string {
  if (isUploading)
    return `Uploading ${plural(items.filter((item) => !item.result && !item.error).length, 'file')}, ${progress - (progress % 10)}% done.`
  const parts = []
  if (results.length) parts.push(`${plural(results.length, 'file')} uploaded.`)
  if (errors.length)
    parts.push(`${plural(errors.length, 'file')} failed: ${errors[errors.length - 1]?.message}`)
  return parts.join(' ')
}

/**
 * A drop zone as a hook (the model is react-dropzone): drag and drop, paste and a file picker
 * behind a real button, feeding `useUpload`. Spread the prop getters on your own elements, or use
 * `IKDropzone`, which is a few lines over this hook.
 */
export function useDropzone({
  multiple = true,
  disabled = false,
  ...options
}: UseDropzoneOptions = {}): UseDropzoneResult {
  const upload = useUpload(options)
  const [isDragging, setDragging] = useState(false)
  const inputRef = useRef<HTMLInputElement | null>(null)
  // dragenter/dragleave pairs that bubbled up from the zone and its children: moving onto a child
  // fires enter (child) before leave (zone), so the count stays above 0 until the zone is left.
  // Counting, not `relatedTarget`, since Safari sends dragleave with a null relatedTarget.
  const depth = useRef(0)
  const take = (files: FileList | null | undefined) => {
    if (!disabled && files?.length) upload.upload(multiple ? files : [files[0] as File])
  }
  const open = () => {
    const input = inputRef.current
    if (disabled || !input) return
    // React Aria's FileTrigger does the same: without it, the same file picked twice fires no change.
    input.value = ''
    input.click()
  }
  const status: DropzoneState['status'] = upload.isUploading
    ? 'uploading'
    : upload.errors.length
      ? 'error'
      : upload.results.length
        ? 'success'
        : 'idle'
  const dragOver = (event: DragEvent) => {
    // Without preventDefault on dragover the browser refuses the drop (and may open the file).
    event.preventDefault()
    if (event.dataTransfer) event.dataTransfer.dropEffect = disabled ? 'none' : 'copy'
    setDragging(!disabled)
  }
  const dragEnd = () => {
    depth.current = 0
    setDragging(false)
  }
  return {
    ...upload,
    isDragging,
    status,
    announcement: announce(upload),
    open,
    inputRef,
    getRootProps: (props = {}) => ({
      ...props,
      'data-drop-target': isDragging || undefined,
      'data-status': status,
      'data-disabled': disabled || undefined,
      'aria-busy': upload.isUploading || undefined,
      onDragEnter: compose(props.onDragEnter, (event: DragEvent) => {
        depth.current++
        dragOver(event)
      }),
      onDragOver: compose(props.onDragOver, dragOver),
      onDragLeave: compose(props.onDragLeave, () => {
        if (--depth.current <= 0) dragEnd()
      }),
      onDrop: compose(props.onDrop, (event: DragEvent) => {
        event.preventDefault()
        dragEnd()
        take(event.dataTransfer?.files)
      }),
      onPaste: compose(props.onPaste, (event: ClipboardEvent) => {
        const files = event.clipboardData?.files
        if (!files?.length) return
        event.preventDefault()
        take(files)
      }),
    }),
    getInputProps: (props = {}) => ({
      ...props,
      ref: inputRef,
      type: 'file',
      multiple,
      disabled,
      accept: options.accept == null ? undefined : String(options.accept),
      // Reached through the button; the input itself stays out of the tab order and the a11y tree.
      tabIndex: -1,
      'aria-hidden': true,
      style: { ...visuallyHidden, ...props.style },
      onChange: compose(props.onChange, (event: ChangeEvent<HTMLInputElement>) => {
        take(event.target.files)
        event.target.value = ''
      }),
    }),
    getButtonProps: (props = {}) => ({
      type: 'button',
      ...props,
      disabled,
      onClick: compose(props.onClick, (_event: MouseEvent) => open()),
    }),
  }
}
