import { UPLOAD_FIELD_NAMES } from '@ik-upload/core'

// Every name of UPLOADER_OPTION_NAMES (a test pins it), as one pattern: smaller in the bundle than the list.
const UPLOADER_OPTION =
  /^(publicKey|\w+Endpoint|auth\w+|transport|signer|max[FR]\w+|concurrency|prefetch|retr\w+|\w*imeout|on(Upload\w+|Success|Error)|validateFile|check\w+|overrideParameters)$/

/** Whether a prop is an uploader option (upload field, config or callback) rather than a DOM attribute. */
export const isUploaderOption = (name: string): boolean =>
  (UPLOAD_FIELD_NAMES as readonly string[]).includes(name) || UPLOADER_OPTION.test(name)

/**
 * The props without the uploader options, so that no option (`folder`, `onSuccess`, `publicKey`...)
 * reaches the DOM as an invalid attribute. `accept` stays: the input filters the picker with it.
 * The uploader takes all props: it ignores the names it does not know.
 */
export function domProps(props: object): Record<string, unknown> {
  const rest: Record<string, unknown> = {}
  for (const key in props) if (!isUploaderOption(key)) rest[key] = props[key as keyof typeof props]
  return rest
}
