import type { UploadFieldOptions } from './fields'
import { FILE_TOO_LARGE, invalidValue } from './messages'
import {
  DEFAULT_MAX_FILE_SIZE,
  isValidCustomCoordinates,
  isValidFolder,
  isValidResponseFields,
  isValidTags,
} from './rules'

/** What the client refuses before sending: the field and the message the server would give. */
export interface OptionProblem {
  field: string
  message: string
}

// The cheap, common rules, each refusing with `invalidValue(field)` like the server.
const RULES: Record<string, (value: string) => boolean> = {
  tags: isValidTags,
  folder: isValidFolder,
  customCoordinates: isValidCustomCoordinates,
  responseFields: isValidResponseFields,
}

/**
 * Checks upload options with the protocol's rules before any byte leaves, so that a request the
 * server would refuse is refused locally with the same message. `fileSize` is checked against
 * `maxFileSize` (default 25 MB) when known. Only the cheap, common rules run here (the browser
 * bundle pays for each); the server judges the rest (`transformation`, JSON fields, `checks`).
 */
export function checkUploadOptions(
  options: UploadFieldOptions,
  fileSize?: number,
  maxFileSize: number = DEFAULT_MAX_FILE_SIZE,
): OptionProblem | undefined {
  for (const field in RULES) {
    const value = options[field as keyof UploadFieldOptions]
    // String() joins an array with ',' like the wire encoding, and turns a stray number into text.
    if (value != null && !RULES[field]?.(String(value))) return { field, message: invalidValue(field) }
  }
  if (fileSize !== undefined && fileSize > maxFileSize) return { field: 'file', message: FILE_TOO_LARGE }
  return undefined
}
