import type { UploadFieldOptions } from './fields'
import { FILE_TOO_LARGE, INVALID_TRANSFORMATION, invalidValue } from './messages'
import {
  DEFAULT_MAX_FILE_SIZE,
  isValidTransformation,
  parseCustomCoordinates,
  parseFolder,
  parseResponseFields,
  parseTags,
} from './rules'

/** What the client refuses before sending: the field and the message the server would give. */
export interface OptionProblem {
  field: string
  message: string
}

const joined = (value: readonly string[] | string): string =>
  typeof value === 'string' ? value : value.join(',')

/**
 * Checks upload options with the protocol's rules before any byte leaves, so that a request the
 * server would refuse is refused locally with the same message. `fileSize` is checked against
 * `maxFileSize` (default 25 MB) when known.
 */
export function checkUploadOptions(
  options: UploadFieldOptions,
  fileSize?: number,
  maxFileSize: number = DEFAULT_MAX_FILE_SIZE,
): OptionProblem | undefined {
  const { tags, folder, customCoordinates, responseFields, transformation } = options
  if (tags != null && !parseTags(joined(tags))) return { field: 'tags', message: invalidValue('tags') }
  if (folder != null && !parseFolder(folder)) return { field: 'folder', message: invalidValue('folder') }
  if (customCoordinates != null && !parseCustomCoordinates(customCoordinates))
    return { field: 'customCoordinates', message: invalidValue('customCoordinates') }
  if (responseFields != null && !parseResponseFields(joined(responseFields)))
    return { field: 'responseFields', message: invalidValue('responseFields') }
  if (transformation != null && !isValidTransformation(transformation))
    return { field: 'transformation', message: INVALID_TRANSFORMATION }
  if (fileSize !== undefined && fileSize > maxFileSize) return { field: 'file', message: FILE_TOO_LARGE }
  return undefined
}
