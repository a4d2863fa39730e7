import { encodeUploadFields, type UploadFieldOptions } from './fields'
import { FILE_TOO_LARGE, invalidValue } from './messages'
import {
  COORDINATES_RULE,
  DEFAULT_MAX_FILE_SIZE,
  FOLDER_RULE,
  RESPONSE_FIELDS_RULE,
  TAGS_RULE,
} from './rules'

/** What the client refuses before sending: the field and the message the server would give. */
export interface OptionProblem {
  field: string
  message: string
}

// The cheap, common rules, each refusing with `invalidValue(field)` like the server. Regexes, so
// the browser bundle holds no function around each.
const RULES: Record<string, RegExp> = {
  tags: TAGS_RULE,
  folder: FOLDER_RULE,
  customCoordinates: COORDINATES_RULE,
  responseFields: RESPONSE_FIELDS_RULE,
}

/**
 * The value rules alone (no size): the refusal of the first field, in wire order, that the server
 * would refuse with `invalidValue(field)`. The queue runs this one; its files' sizes were checked
 * when they were added.
 */
export function checkUploadFields(options: UploadFieldOptions): OptionProblem | undefined {
  for (const [field, value] of encodeUploadFields(options))
    if (RULES[field]?.test(value) === false) return { field, message: invalidValue(field) }
}

/**
 * Checks upload options with the protocol's rules before any byte leaves, so that a request the
 * server would refuse is refused locally with the same message. The rules judge the wire strings
 * (`encodeUploadFields`), in wire order, exactly as the server receives them. `fileSize` is checked
 * against `maxFileSize` (default 25 MB) when known. Only the cheap, common rules run here (the
 * browser bundle pays for each); the server judges the rest (`transformation`, JSON fields, `checks`).
 */
export function checkUploadOptions(
  options: UploadFieldOptions,
  fileSize?: number,
  maxFileSize: number = DEFAULT_MAX_FILE_SIZE,
): OptionProblem | undefined {
  return (
    checkUploadFields(options) ??
    // An unknown size (a URL source) compares false.
    ((fileSize as number) > maxFileSize ? { field: 'file', message: FILE_TOO_LARGE } : undefined)
  )
}
