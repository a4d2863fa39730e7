import type { UploadFieldOptions } from '@ik-upload/core'
import { UPLOAD_FIELD_NAMES } from '@ik-upload/core/protocol'

/** The `<IKUpload>` element that uploads with these options, as code to copy; `v2` adds the v2 signer. */
export function toJsx(options: UploadFieldOptions, v2 = false): string {
  const props: string[] = v2 ? ['signer={signV2}', 'authenticationEndpoint="/api/auth/v2"'] : []
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
