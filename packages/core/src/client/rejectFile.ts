/**
 * The uploader's restrictions (`accept`, `maxFileSize`, `maxFiles`, `validateFile`, `checkImage`),
 * each refusal worded for the person who picked the file: the file's name, what it is and what is
 * allowed.
 */
import { DEFAULT_MAX_FILE_SIZE } from '../protocol/rules'
import type { UploaderOptions } from './UploaderOptions'
import type { FileRejection } from './UploadItem'

export const isImage = (file: File): boolean => /^image\//.test(file.type)

/**
 * A size for people: B, KB, MB or GB of 1,024 (ImageKit calls 26,214,400 bytes "25 MB"), one
 * decimal at most, no `.0`. `round` is `Math.ceil` for a file and `Math.floor` for a limit, so a
 * file over the limit never reads as the same size (25 MB + 1 byte is "25.1 MB" against "25 MB").
 */
export function formatSize(bytes: number, round: (value: number) => number): string {
  let unit = 0
  while (bytes >= 1024 && unit < 3) {
    bytes /= 1024
    unit++
  }
  return `${round(bytes * 10) / 10} ${'KMG'[unit - 1] ?? ''}B`
}

/** `<input accept>` matching: MIME types, `type/*` wildcards and `.ext` extensions, case-insensitive. */
function accepts({ name, type }: File, accept: string | readonly string[]): boolean {
  return String(accept)
    .toLowerCase()
    .split(',')
    .some((rule) => {
      rule = rule.trim()
      // An empty rule (a trailing comma) accepts nothing; `*` and `*/*` accept anything.
      return rule[0] === '.'
        ? name.toLowerCase().endsWith(rule)
        : rule.endsWith('*')
          ? type.startsWith(rule.slice(0, -1).replace('*/', ''))
          : !!rule && type === rule
    })
}

/**
 * The restrictions that need no reading of the file, checked at once when files are added;
 * `counted` is how many items already count towards `maxFiles`.
 */
export function rejectFile(file: File, options: UploaderOptions, counted: number): FileRejection | undefined {
  const { accept, maxFiles = Infinity, maxFileSize = DEFAULT_MAX_FILE_SIZE } = options
  const { name, size, type } = file
  if (size > maxFileSize)
    return {
      code: 'file-too-large',
      message: `${name} is ${formatSize(size, Math.ceil)}; the limit is ${formatSize(maxFileSize, Math.floor)}.`,
    }
  if (accept && !accepts(file, accept))
    return {
      code: 'file-invalid-type',
      message: `${name} is ${type || 'of unknown type'}; allowed types: ${accept}.`,
    }
  if (counted >= maxFiles)
    return {
      code: 'too-many-files',
      message: `${name} would be file ${counted + 1}; the limit is ${maxFiles}.`,
    }
}

/**
 * The checks that read the file: `validateFile`, then, for an image, `checkImage` (the dimension
 * limits of `imageDimensions`, when the app opts in).
 */
export async function inspectFile(file: File, options: UploaderOptions): Promise<FileRejection | undefined> {
  const verdict = await options.validateFile?.(file)
  if (verdict === false || typeof verdict === 'string')
    return { code: 'invalid-file', message: verdict || `${file.name} was refused.` }
  if (isImage(file)) return options.checkImage?.(file)
}
