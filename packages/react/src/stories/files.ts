/**
 * Files for the play functions: real 64 x 64 PNGs (so the mock API sees an image, and the browser
 * shows the delivered picture), and plain text of a chosen size.
 */

const PNG_BASE64 = {
  teal: 'iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAIAAAAlC+aJAAAAnUlEQVR42u3XuQ2AMBREwV8YxbkwF4clEOIwOStGcmaCtxGeqtamZ+l9ej73fXb9uM2ufw4Iq78NyKs/D4isPwak1m8DguvHya5/GxD0d6vo+smAuJdFRddfBoS+6iq6fh8Q/aIuHuABHuABHuABHuABHuABHuABHuABHuABHuABHuABHuABHuABHuABHuABHuABHuABHuABHviNB1bDFqE8fW+jpwAAAABJRU5ErkJggg==',
  coral:
    'iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAIAAAAlC+aJAAAAoklEQVR42u3XywmAMBRE0VeYlViJlVidvfiBgETi3sED2cXFnZU5tc3T8OzrMjxf+76i68+riq4fDMiqfw6Iq+8GJNbfA0Lr24Dc+mtAdP3rgKC/W0XXDwbEvSwqur4bEPqqq+j6NiD6RV08wAM8wAM8wAM8wAM8wAM8wAM8wAM8wAM8wAM8wAM8wAM8wAM8wAM8wAM8wAM8wAM8wAM8wAM88BsPHPRB+ZZ8H2ObAAAAAElFTkSuQmCC',
  indigo:
    'iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAIAAAAlC+aJAAAAoklEQVR42u3XsQmAMBRF0T+TtTNZO46DOYwKAYnE3ocH0sXivsqcmqdteNZlH56vfV/R9edVRdcPBmTVPwfE1XcDEuvvAaH1bUBu/TUguv51QNDfraLrBwPiXhYVXd8NCH3VVXR9GxD9oi4e4AEe4AEe4AEe4AEe4AEe4AEe4AEe4AEe4AEe4AEe4AEe4AEe4AEe4AEe4AEe4AEe4AEe+I0HDr/ngUsRhSX7AAAAAElFTkSuQmCC',
}

/** A 64 x 64 PNG with diagonal stripes of one colour. */
export function pngFile(name = 'photo.png', color: keyof typeof PNG_BASE64 = 'teal'): File {
  const bytes = Uint8Array.from(atob(PNG_BASE64[color]), (char) => char.charCodeAt(0))
  return new File([bytes], name, { type: 'image/png' })
}

/** A text file of `size` bytes. */
export const textFile = (name = 'notes.txt', size = 64): File =>
  new File(['x'.repeat(size)], name, { type: 'text/plain' })

/** A `DataTransfer` holding `files`, as a drop or a paste carries them. */
function transferOf(files: readonly File[]): DataTransfer {
  const transfer = new DataTransfer()
  for (const file of files) transfer.items.add(file)
  return transfer
}

/**
 * A drag event carrying `files`, for `fireEvent(zone, dragEvent('drop', files))`. Browsers take
 * only a real `DataTransfer` in the event (testing-library's `{ dataTransfer: { files } }` throws in
 * Chromium), and happy-dom's `DragEvent` is a plain `Event` that drops it: set it by hand there.
 */
export function dragEvent(
  type: 'dragenter' | 'dragover' | 'dragleave' | 'drop',
  files: readonly File[],
): Event {
  const dataTransfer = transferOf(files)
  const event = new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer })
  if (!(event as Partial<DragEvent>).dataTransfer)
    Object.defineProperty(event, 'dataTransfer', { value: dataTransfer })
  return event
}

/** A paste event carrying `files`. */
export const pasteEvent = (files: readonly File[]): Event =>
  new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: transferOf(files) })
