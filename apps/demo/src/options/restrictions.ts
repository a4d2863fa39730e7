import { type ImageDimensionLimits, imageDimensions, type UploaderOptions } from '@ik-upload/core'
import { DEFAULT_MAX_FILE_SIZE } from '@ik-upload/core/protocol'
import { formatBytes } from '../components/formatBytes'

/** The uploader's restrictions as typed in the Queue page's panel (empty = not set). */
export interface RestrictionsForm {
  accept: string
  /** In megabytes. */
  maxFileSize: string
  maxFiles: string
  minWidth: string
  minHeight: string
  maxWidth: string
  maxHeight: string
}

export const EMPTY_RESTRICTIONS: RestrictionsForm = {
  accept: '',
  maxFileSize: '',
  maxFiles: '',
  minWidth: '',
  minHeight: '',
  maxWidth: '',
  maxHeight: '',
}

/** The restrictions the panel sets: three uploader options and the image dimension limits. */
export type Restrictions = Pick<UploaderOptions, 'accept' | 'maxFileSize' | 'maxFiles'> & ImageDimensionLimits

const MB = 1024 * 1024

/** A positive number typed in a field, or undefined (empty or not a number: not set). */
const positive = (value: string) => {
  const number = Number(value.trim())
  return value.trim() && Number.isFinite(number) && number > 0 ? number : undefined
}

/** The panel turned into uploader options; unset fields are left out, so the kit's defaults apply. */
export function restrictionsFromForm(form: RestrictionsForm): Restrictions {
  const size = positive(form.maxFileSize)
  const whole = (value: string) => {
    const number = positive(value)
    return number === undefined ? undefined : Math.floor(number)
  }
  return {
    accept: form.accept.trim() || undefined,
    maxFileSize: size === undefined ? undefined : Math.round(size * MB),
    maxFiles: whole(form.maxFiles),
    minWidth: whole(form.minWidth),
    minHeight: whole(form.minHeight),
    maxWidth: whole(form.maxWidth),
    maxHeight: whole(form.maxHeight),
  }
}

/**
 * The restrictions as uploader options: the dimension limits are opt-in (`checkImage` with
 * `imageDimensions`), so they go in only when one is set.
 */
export function uploaderRestrictions({
  minWidth,
  minHeight,
  maxWidth,
  maxHeight,
  ...options
}: Restrictions): Pick<UploaderOptions, 'accept' | 'maxFileSize' | 'maxFiles' | 'checkImage'> {
  return {
    ...options,
    checkImage:
      minWidth || minHeight || maxWidth || maxHeight
        ? imageDimensions({ minWidth, minHeight, maxWidth, maxHeight })
        : undefined,
  }
}

const dimensions = (width?: number, height?: number) => `${width ?? 'any'} × ${height ?? 'any'} px`

/**
 * The drop zone's hint, written from the options it really runs with, so it cannot go stale:
 * "Only image/png. Up to 25 MB each, at most 2 files. Images at least 100 × any px. 3 upload at a time."
 */
export function describeRestrictions(options: Restrictions & { concurrency: number }): string {
  const parts: string[] = []
  if (options.accept) parts.push(`Only ${String(options.accept)}.`)
  const size = `Up to ${formatBytes(options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE)} each`
  parts.push(
    options.maxFiles
      ? `${size}, at most ${options.maxFiles} file${options.maxFiles === 1 ? '' : 's'}.`
      : `${size}.`,
  )
  const { minWidth, minHeight, maxWidth, maxHeight } = options
  const images: string[] = []
  if (minWidth || minHeight) images.push(`at least ${dimensions(minWidth, minHeight)}`)
  if (maxWidth || maxHeight) images.push(`at most ${dimensions(maxWidth, maxHeight)}`)
  if (images.length) parts.push(`Images ${images.join(' and ')}.`)
  parts.push(`${options.concurrency} upload at a time.`)
  return parts.join(' ')
}
