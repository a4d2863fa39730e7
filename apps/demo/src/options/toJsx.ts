import type { UploadFieldOptions } from '@ik-upload/core'
import { UPLOAD_FIELD_NAMES } from '@ik-upload/core/protocol'

/** The `<IKUpload>` element that uploads with these options, as code to copy. */
export function toJsx(options: UploadFieldOptions): string {
  const props: string[] = []
  for (const name of UPLOAD_FIELD_NAMES) {
    const value = options[name]
    if (value === undefined) continue
    props.push(
      typeof value === 'string' ? `${name}=${JSON.stringify(value)}` : `${name}={${JSON.stringify(value)}}`,
    )
  }
  props.push('onSuccess={(res) => console.log(res.url)}')
  return `<IKUpload\n${props.map((prop) => `  ${prop}`).join('\n')}\n/>`
}
